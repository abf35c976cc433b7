package io.sluice.gateway.quota;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.kafka.common.protocol.ApiMessage;

import io.sluice.protocol.net.ClientConnection;

/**
 * The rates of the clients that have a quota, on this gateway (Kafka's quotas hold per broker, and each client sees
 * one gateway as its only broker): what a client sends in Produce and receives in Fetch, the partitions it creates and
 * deletes, the time the gateway works on its requests, each recorded against its quota; the answer tells it how long
 * to wait ({@code throttle_time_ms}), as Kafka's answers do.
 */
public final class Throttles {

    private record Key(String kind, String user, String clientId) {
    }

    /** Past this many clients measured, those that owe nothing are forgotten. */
    private static final int MAX_TRACKED = 10_000;

    private final Supplier<ClientQuotas> quotas;
    private final LongSupplier clock;
    private final Map<Key, ByteRate> rates = new ConcurrentHashMap<>();

    public Throttles(Supplier<ClientQuotas> quotas, LongSupplier clock) {
        this.quotas = quotas;
        this.clock = clock;
    }

    /** A client's account with its byte rates, for callers that wait out its debt themselves (the HTTP API). */
    public QuotaAccount account(String user, String clientId) {
        return new QuotaAccount(this, user, clientId);
    }

    /** Whether any client has a quota: without one, nothing is measured. */
    public boolean active() {
        return !quotas.get().isEmpty();
    }

    /**
     * Before a Fetch is served (Kafka answers a client that owes an empty Fetch, and never hands one more than its
     * quota allows at once): how long the client still owes under the {@code kind} quota, 0 when nothing or without a
     * quota.
     */
    public long owed(String kind, String user, String clientId) {
        Optional<ClientQuotas.Limit> limit = limit(kind, user, clientId);
        if (limit.isEmpty()) {
            return 0;
        }
        ByteRate rate = rates.get(new Key(kind, limit.get().user(), limit.get().clientId()));
        return rate == null ? 0 : rate.owedMs(clock.getAsLong(), limit.get().rate());
    }

    /** The most bytes a client may take at once under the {@code kind} quota; empty without a quota. */
    public OptionalLong burst(String kind, String user, String clientId) {
        Optional<ClientQuotas.Limit> limit = limit(kind, user, clientId);
        return limit.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ByteRate.burstBytes(limit.get().rate()));
    }

    /**
     * Records {@code amount} of the {@code kind} quota (bytes of {@link ClientQuotas#PRODUCER_BYTE_RATE}, partitions of
     * {@link ClientQuotas#CONTROLLER_MUTATION_RATE}, …) for a client; returns the throttle time in ms, 0 without a
     * quota.
     */
    public long record(String kind, String user, String clientId, double amount) {
        Optional<ClientQuotas.Limit> limit = limit(kind, user, clientId);
        if (limit.isEmpty()) {
            return 0;
        }
        long now = clock.getAsLong();
        if (rates.size() > MAX_TRACKED) {
            rates.values().removeIf(rate -> rate.idle(now));
        }
        Key key = new Key(kind, limit.get().user(), limit.get().clientId());
        return rates.computeIfAbsent(key, k -> new ByteRate(now, limit.get().rate())).record(amount, now,
                limit.get().rate());
    }

    /**
     * {@link ClientQuotas#REQUEST_PERCENTAGE}: records the time a connection's event loop worked on one of the
     * client's requests against its share of a thread ({@code request_percentage} 100 is one thread's every second),
     * and stops reading the connection for as long as the client owes. Kafka counts its request and network threads'
     * time alike.
     */
    public void recordWork(String user, String clientId, long nanos, ClientConnection connection) {
        // in the quota's own unit: percent of a thread for a second
        long owed = record(ClientQuotas.REQUEST_PERCENTAGE, user, clientId, nanos * 100.0 / 1_000_000_000);
        if (owed > 0) {
            connection.mute(owed);
        }
    }

    /** The answer with the time the client owes under its {@code request_percentage}, if it has one. */
    public ApiMessage withWorkOwed(ApiMessage answer, String user, String clientId) {
        return answer == null ? null
                : ThrottleTime.atLeast(answer, owed(ClientQuotas.REQUEST_PERCENTAGE, user, clientId));
    }

    private Optional<ClientQuotas.Limit> limit(String kind, String user, String clientId) {
        return quotas.get().limit(kind, user, clientId == null ? "" : clientId);
    }
}
