package io.sluice.broker;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.sluice.protocol.security.MemberCredential;

/**
 * This broker's member credential, when the cluster has a member secret: its Kafka listener and JGroups take members
 * only, and its HTTP endpoints other than health and metrics answer 401 to anyone else.
 */
@ApplicationScoped
public class MemberSecurity {

    /** Before every route, health included, so that no endpoint is added later without the check. */
    private static final int FILTER_PRIORITY = 1_000;

    @Inject
    BrokerConfig config;

    private Optional<MemberCredential> credential;

    public synchronized Optional<MemberCredential> credential() {
        if (credential == null) {
            credential = config.security().memberSecret().map(MemberCredential::new);
        }
        return credential;
    }

    void membersOnly(@Observes Filters filters) {
        credential().ifPresent(member -> filters.register(ctx -> {
            if (member.admitsHttp(ctx.normalizedPath(), ctx.request().getHeader(MemberCredential.HEADER))) {
                ctx.next();
            } else {
                ctx.response().setStatusCode(401).end();
            }
        }, FILTER_PRIORITY));
    }
}
