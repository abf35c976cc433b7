package io.sluice.gateway.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.security.auth.KafkaPrincipal;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.security.Authorizer;
import io.sluice.gateway.security.RequestAuthorizer;
import io.vertx.ext.web.RoutingContext;

/**
 * The {@link HttpCaller} of a request: the principal {@link HttpLogins} admitted it as, under the current ACLs and
 * quotas.
 */
@ApplicationScoped
public class HttpAccess {

    @Inject
    Gateway gateway;

    @Inject
    CurrentVertxRequest current;

    /** The caller of the request a resource method serves. */
    HttpCaller caller() {
        return caller(current.getCurrent());
    }

    HttpCaller caller(RoutingContext routing) {
        Authorizer authorizer = gateway.authorizer();
        KafkaPrincipal principal = HttpLogins.principal(routing);
        return new HttpCaller(principal, authorizer == null ? null
                : new RequestAuthorizer(authorizer, principal, routing.request().remoteAddress().hostAddress(),
                        id -> null),
                gateway.throttles());
    }
}
