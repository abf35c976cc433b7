package io.sluice.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the broker serves Kafka requests and the coordinator knows it. */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {

    @Inject
    Broker broker;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("broker")
                .status(broker.ready())
                .withData("partitionsLed", broker.partitionsLed())
                .withData("storeMembers", broker.store() == null ? 0 : broker.store().members().size())
                .build();
    }
}
