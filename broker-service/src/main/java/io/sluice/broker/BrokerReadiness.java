package io.sluice.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the broker serves Kafka requests, the coordinator knows it, and its store is available: not while it is cut
 * off in a minority of the brokers (its replicated caches refuse every write until it is merged back), nor while a full
 * restart waits for the other brokers.
 */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {

    @Inject
    Broker broker;

    @Override
    public HealthCheckResponse call() {
        boolean storeAvailable = broker.store() != null && broker.store().available();
        return HealthCheckResponse.named("broker")
                .status(broker.ready() && storeAvailable)
                .withData("storeAvailable", storeAvailable)
                .withData("partitionsLed", broker.partitionsLed())
                .withData("storeMembers", broker.store() == null ? 0 : broker.store().members().size())
                .build();
    }
}
