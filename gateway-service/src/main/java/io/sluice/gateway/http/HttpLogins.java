package io.sluice.gateway.http;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.jboss.logging.Logger;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.GatewayConfig;
import io.sluice.gateway.security.PasswordLogins;
import io.sluice.protocol.net.ThrottledLog;
import io.sluice.protocol.security.CertificatePrincipal;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is asking, before any path of the HTTP API is served: over HTTPS with {@code sluice.gateway.http.authentication=basic}
 * a user of the cluster logged in with HTTP Basic, or else the subject of the client certificate the connection
 * presented (401 otherwise); else {@code User:ANONYMOUS}, as a client of a Kafka listener without SASL. Quarkus' own
 * paths under {@code /q/} (health, metrics, OpenAPI) reveal nothing of the cluster's data and stay open to probes and
 * scrapers. A password sent over plain HTTP is refused rather than ignored, so that a client learns it is sending it
 * in the clear.
 */
@ApplicationScoped
public class HttpLogins {

    /** Before every route of the application, and before request bodies are read (Quarkus' upload limit). */
    private static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;
    private static final String PRINCIPAL = "sluice.principal";
    private static final String OPEN_PATHS = "/q/";
    static final String CHALLENGE = "Basic realm=\"sluice\", charset=\"UTF-8\"";
    private static final Logger LOG = Logger.getLogger(HttpLogins.class);
    /** The client hears only "wrong user name or password"; the log says which, a line per 10 s at most. */
    private static final ThrottledLog REFUSALS = new ThrottledLog(LOG, "refused HTTPS logins", Duration.ofSeconds(10));

    @Inject
    Gateway gateway;

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    void routes(@Observes Router router) {
        router.route().order(ORDER).handler(this::login);
    }

    /** The principal a request was admitted as. */
    static KafkaPrincipal principal(RoutingContext routing) {
        KafkaPrincipal principal = routing.get(PRINCIPAL);
        return principal != null ? principal : KafkaPrincipal.ANONYMOUS;
    }

    private void login(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        if (routing.normalizedPath().startsWith(OPEN_PATHS)
                || config.gateway().http().authentication() == GatewayConfig.Authentication.NONE) {
            routing.next();
            return;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (!request.isSSL()) {
            if (authorization != null) {
                ErrorMappers.refuse(routing, new ErrorMappers.Failure(403, "credentials are taken over HTTPS only"));
            } else {
                routing.next();
            }
            return;
        }
        KafkaPrincipal certified = authorization == null ? CertificatePrincipal.of(request.connection()::peerCertificates)
                : null;
        if (certified != null) {
            routing.put(PRINCIPAL, certified);
            routing.next();
            return;
        }
        BasicCredentials credentials = BasicCredentials.parse(authorization);
        if (credentials == null) {
            unauthorized(routing, "log in with HTTP Basic as a user of the cluster, or with a client certificate");
            return;
        }
        PasswordLogins logins = gateway.passwordLogins();
        if (logins.knownGood(credentials.user(), credentials.password())) {
            admit(routing, credentials.user());
            return;
        }
        // Deriving the key takes milliseconds: off the event loop, with the body held until the login is decided.
        request.pause();
        vertx.executeBlocking(() -> logins.verify(credentials.user(), credentials.password()), false)
                .onComplete(verified -> {
                    if (verified.succeeded() && verified.result()) {
                        admit(routing, credentials.user());
                    } else {
                        String why = verified.failed() ? "the check failed: " + verified.cause()
                                : logins.known(credentials.user()) ? "the password does not match"
                                        : "no such user";
                        REFUSALS.log(() -> LOG.infof("HTTPS login of %s refused: %s", credentials.user(), why));
                        request.resume();
                        unauthorized(routing, "wrong user name or password");
                    }
                });
    }

    private static void admit(RoutingContext routing, String user) {
        routing.put(PRINCIPAL, new KafkaPrincipal(KafkaPrincipal.USER_TYPE, user));
        routing.next();
    }

    private static void unauthorized(RoutingContext routing, String message) {
        routing.response().putHeader("WWW-Authenticate", CHALLENGE);
        ErrorMappers.refuse(routing, new ErrorMappers.Failure(401, message));
    }
}
