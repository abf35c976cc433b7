package io.sluice.gateway.http;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.sluice.gateway.GatewayConfig;
import io.sluice.protocol.net.TlsEngine;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;

/**
 * HTTPS as the Kafka listeners' TLS: the same engine ({@link TlsEngine}, not Quarkus' default, the JDK's), and client
 * certificates asked for whenever the listeners ask ({@code sluice.gateway.tls.client-auth}, which Quarkus would take
 * only at build time). Asked, never required: a caller without one may still log in with HTTP Basic, and
 * {@link HttpLogins} lets nobody in without either. The CA they must chain to is Quarkus' trust store, the listeners'
 * {@code client-ca} (application.properties).
 */
@ApplicationScoped
public class HttpsEngine implements HttpServerOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(HttpsEngine.class);

    @Inject
    GatewayConfig config;

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        options.setSslEngineOptions(TlsEngine.options()).setClientAuth(
                config.gateway().tls().clientAuth() == ClientAuth.NONE ? ClientAuth.NONE : ClientAuth.REQUEST);
        LOG.infof("HTTPS on port %d, %s, client certificates %s", options.getPort(), TlsEngine.NAME,
                options.getClientAuth().name().toLowerCase(Locale.ROOT));
    }
}
