package io.sluice.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.sluice.protocol.contract.CoordinatorContract;

/** Ready when the Kafka listener is up and the coordinator has described the cluster at least once. */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {

    @Inject
    Gateway gateway;

    @Override
    public HealthCheckResponse call() {
        boolean ready = gateway.ready();
        return HealthCheckResponse.named("gateway")
                .status(ready)
                .withData("brokers", ready ? brokers() : 0)
                .withData("topics", ready ? gateway.metadata().current().topics().size() : 0)
                .build();
    }

    /** The live brokers; the coordinator's Metadata lists itself among them too, as Kafka's controller. */
    private long brokers() {
        return gateway.metadata().current().brokers().keySet().stream()
                .filter(id -> id != CoordinatorContract.NODE_ID)
                .count();
    }
}
