package io.sluice.coordinator;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.sluice.coordinator.controller.ClusterState;

/**
 * Ready as the active replica (state loaded, Kafka listener up) or as a standby in a view with a majority of the
 * replicas holding the current state, one that can take over. The data says which, what the replica sees, and why
 * its state is not current when it is not.
 */
@Readiness
@ApplicationScoped
public class CoordinatorReadiness implements HealthCheck {

    @Inject
    Coordinator coordinator;

    @Override
    public HealthCheckResponse call() {
        Optional<ClusterState> state = coordinator.state();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("coordinator")
                .status(coordinator.ready())
                .withData("role", state.isPresent() ? "active" : "standby")
                .withData("replicas", String.join(",", coordinator.replicas()))
                .withData("state", coordinator.stateNotCurrent().orElse("current"))
                .withData("stateVersion", coordinator.stateVersion());
        state.ifPresent(s -> response.withData("liveBrokers", s.liveBrokers().size())
                .withData("topics", s.topics().size()));
        return response.build();
    }
}
