package io.sluice.protocol.net;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.kafka.common.protocol.ApiKeys;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Request metrics as Prometheus sees them: {@code sluice_kafka_requests_seconds{listener,api,outcome}} and
 * {@code sluice_kafka_refused_connections_total{listener}}, {@code sluice_kafka_held_request_bytes{listener}} and
 * {@code sluice_kafka_authentications_total{listener,outcome}}.
 */
public final class MicrometerRequestMetrics implements RequestMetrics {

    private final MeterRegistry registry;
    private final String listener;
    private final Map<ApiKeys, Timer> ok = new EnumMap<>(ApiKeys.class);
    private final Map<ApiKeys, Timer> failed = new EnumMap<>(ApiKeys.class);
    private final Counter refused;
    private final Counter authenticated;
    private final Counter notAuthenticated;

    public MicrometerRequestMetrics(MeterRegistry registry, String listener) {
        this.registry = registry;
        this.listener = listener;
        this.refused = Counter.builder("sluice.kafka.refused.connections")
                .description("Connections closed over malformed, oversized or unserved requests")
                .tag("listener", listener)
                .register(registry);
        this.authenticated = authentications("success");
        this.notAuthenticated = authentications("failure");
    }

    private Counter authentications(String outcome) {
        return Counter.builder("sluice.kafka.authentications")
                .description("SASL authentications, first or again on a connection")
                .tag("listener", listener)
                .tag("outcome", outcome)
                .register(registry);
    }

    @Override
    public void served(ApiKeys api, long nanos, boolean error) {
        Map<ApiKeys, Timer> timers = error ? failed : ok;
        Timer timer;
        synchronized (timers) {
            timer = timers.computeIfAbsent(api, a -> Timer.builder("sluice.kafka.requests")
                    .description("Kafka requests served, from read to answer")
                    .tag("listener", listener)
                    .tag("api", a.name)
                    .tag("outcome", error ? "failed" : "ok")
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void refused(String reason) {
        refused.increment();
    }

    @Override
    public void authenticated(boolean succeeded) {
        (succeeded ? authenticated : notAuthenticated).increment();
    }

    @Override
    public void holding(LongSupplier heldBytes) {
        Gauge.builder("sluice.kafka.held.request.bytes", heldBytes, LongSupplier::getAsLong)
                .description("Bytes of requests read and not yet answered")
                .baseUnit("bytes")
                .tag("listener", listener)
                .strongReference(true)
                .register(registry);
    }
}
