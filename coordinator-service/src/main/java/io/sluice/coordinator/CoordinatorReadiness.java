package io.sluice.coordinator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the state is loaded and the Kafka listener is up. */
@Readiness
@ApplicationScoped
public class CoordinatorReadiness implements HealthCheck {

    @Inject
    Coordinator coordinator;

    @Override
    public HealthCheckResponse call() {
        boolean ready = coordinator.ready();
        return HealthCheckResponse.named("coordinator")
                .status(ready)
                .withData("liveBrokers", ready ? coordinator.state().liveBrokers().size() : 0)
                .withData("topics", ready ? coordinator.state().topics().size() : 0)
                .build();
    }
}
