package io.sluice.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

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
                .withData("brokers", ready ? gateway.metadata().current().brokers().size() : 0)
                .withData("topics", ready ? gateway.metadata().current().topics().size() : 0)
                .build();
    }
}
