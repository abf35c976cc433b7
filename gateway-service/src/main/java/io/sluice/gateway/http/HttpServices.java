package io.sluice.gateway.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.sluice.gateway.Gateway;
import io.sluice.gateway.GatewayConfig;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * What every HTTP path produces, reads and administers topics and groups with, made once the gateway has started (its metadata
 * view and leader connections exist only then).
 */
@ApplicationScoped
public class HttpServices {

    @Inject
    Gateway gateway;

    @Inject
    GatewayConfig config;

    private HttpProducer producer;
    private PartitionReader reader;
    private TopicAdmin admin;
    private GroupAdmin groups;

    synchronized HttpProducer producer() {
        if (producer == null) {
            producer = new HttpProducer(gateway.metadata(), gateway.leaders(), config.gateway().http());
        }
        return producer;
    }

    synchronized PartitionReader reader() {
        if (reader == null) {
            reader = new PartitionReader(gateway.metadata(), gateway.leaders(), Infrastructure.getDefaultWorkerPool());
        }
        return reader;
    }

    synchronized TopicAdmin admin() {
        if (admin == null) {
            admin = new TopicAdmin(gateway.metadata(), gateway.leaders(), gateway.throttles());
        }
        return admin;
    }

    synchronized GroupAdmin groups() {
        if (groups == null) {
            groups = new GroupAdmin(gateway.metadata(), gateway.leaders());
        }
        return groups;
    }
}
