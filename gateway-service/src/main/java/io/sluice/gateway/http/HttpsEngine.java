package io.sluice.gateway.http;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.sluice.protocol.net.TlsEngine;
import io.vertx.core.http.HttpServerOptions;

/** HTTPS on the same TLS engine as the Kafka listeners ({@link TlsEngine}), not Quarkus' default, the JDK's. */
@ApplicationScoped
public class HttpsEngine implements HttpServerOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(HttpsEngine.class);

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        options.setSslEngineOptions(TlsEngine.options());
        LOG.infof("HTTPS on port %d, %s", options.getPort(), TlsEngine.NAME);
    }
}
