package io.sluice.protocol.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.sluice.protocol.security.TlsSettings;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;

/**
 * Reads a listener's certificate, key and client CA again when their files change, so certificates rotate (as
 * cert-manager renews them into a mounted Secret) without a restart. Connections open keep their session; new ones
 * get the new certificate. Files half-written are tried again on the next look.
 */
final class CertificateWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CertificateWatch.class);
    static final Duration INTERVAL = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final TlsSettings tls;
    private final NetServer server;
    private final String listener;
    private final long timer;
    private List<Object> seen;

    CertificateWatch(Vertx vertx, TlsSettings tls, NetServer server, String listener) {
        this.vertx = vertx;
        this.tls = tls;
        this.server = server;
        this.listener = listener;
        this.seen = stamps();
        this.timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> look());
    }

    private void look() {
        List<Object> now = stamps();
        if (now.equals(seen)) {
            return;
        }
        server.updateSSLOptions(tls.options(), true).onComplete(result -> {
            if (result.succeeded()) {
                seen = now;
                LOG.infof("%s Kafka listener reloaded its TLS certificate from %s", listener, tls.certificate());
            } else {
                LOG.warnf("%s Kafka listener cannot load its changed TLS certificate from %s (keeps the old one): %s",
                        listener, tls.certificate(), result.cause().getMessage());
            }
        });
    }

    /** Each file's modification time and size (a Secret's files are replaced through a symbolic link). */
    private List<Object> stamps() {
        List<Object> stamps = new ArrayList<>();
        Stream.of(tls.certificate(), tls.key(), tls.clientCa()).filter(p -> p != null).forEach(path -> {
            try {
                Path real = path.toRealPath();
                stamps.add(real + "@" + Files.getLastModifiedTime(real).toMillis() + "/" + Files.size(real));
            } catch (IOException e) {
                stamps.add(path + " missing");
            }
        });
        return stamps;
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
