package io.sluice.protocol.net;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import org.jboss.logging.Logger;

import io.sluice.protocol.security.TlsSettings;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;

/**
 * A listener's certificate, key and client CA, read again when their files change, so certificates rotate (as
 * cert-manager renews them into a mounted Secret) without a restart: the TLS context keeps key and trust managers that
 * hand each new handshake the current files' contents (rebuilding the context instead would fail connections that
 * arrive meanwhile). Open connections keep their session. Files half-written, or a key that does not match its
 * certificate, are tried again on the next look while the old ones go on.
 */
final class CertificateWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CertificateWatch.class);
    static final Duration INTERVAL = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final TlsSettings tls;
    private final String listener;
    private final CurrentKey key = new CurrentKey();
    private final CurrentTrust trust = new CurrentTrust();
    private List<Object> seen;
    private long timer = -1;

    /** Reads the files now; fails if they cannot be used. */
    CertificateWatch(Vertx vertx, TlsSettings tls, String listener) {
        this.vertx = vertx;
        this.tls = tls;
        this.listener = listener;
        this.seen = stamps();
        load();
    }

    KeyCertOptions keyCertOptions() {
        return KeyCertOptions.wrap(key);
    }

    /** Null when clients present no certificate. */
    TrustOptions trustOptions() {
        return tls.clientCa() == null ? null : TrustOptions.wrap(trust);
    }

    void start() {
        timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> look());
    }

    private void look() {
        List<Object> now = stamps();
        if (now.equals(seen)) {
            return;
        }
        vertx.executeBlocking(() -> {
            load();
            return null;
        }, false).onComplete(result -> {
            if (result.succeeded()) {
                seen = now;
                LOG.infof("%s Kafka listener reloaded its TLS certificate from %s", listener, tls.certificate());
            } else {
                LOG.warnf("%s Kafka listener cannot load its changed TLS certificate from %s (keeps the old one): %s",
                        listener, tls.certificate(), result.cause().getMessage());
            }
        });
    }

    private void load() {
        try {
            X509ExtendedKeyManager keys = tls.keyManager(vertx);
            if (keys.getCertificateChain(keys.chooseEngineServerAlias("EC", null, null)) == null
                    && keys.getCertificateChain(keys.chooseEngineServerAlias("RSA", null, null)) == null) {
                throw new IllegalStateException("no certificate with its key in " + tls.certificate());
            }
            X509ExtendedTrustManager clients = tls.clientCa() == null ? null : tls.trustManager(vertx);
            key.use(keys);
            trust.use(clients);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Each file's modification time and size (a Secret's files are replaced through a symbolic link). */
    private List<Object> stamps() {
        List<Object> stamps = new ArrayList<>();
        Stream.of(tls.certificate(), tls.key(), tls.clientCa()).filter(Objects::nonNull).forEach(path -> {
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
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * The key manager of the files last read. An alias carries the generation it was chosen from, so a handshake gets
     * chain and key of one and the same reading even if the files are read again in between.
     */
    private static final class CurrentKey extends X509ExtendedKeyManager {
        private volatile X509ExtendedKeyManager current;
        private volatile X509ExtendedKeyManager previous;
        private volatile int generation;

        synchronized void use(X509ExtendedKeyManager keys) {
            previous = current;
            current = keys;
            generation++;
        }

        private String tag(String alias) {
            return alias == null ? null : generation + ":" + alias;
        }

        private X509ExtendedKeyManager of(String tagged) {
            int colon = tagged.indexOf(':');
            int of = Integer.parseInt(tagged.substring(0, colon));
            return of == generation ? current : previous;
        }

        private static String alias(String tagged) {
            return tagged.substring(tagged.indexOf(':') + 1);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return tag(current.chooseEngineServerAlias(keyType, issuers, engine));
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return tag(current.chooseServerAlias(keyType, issuers, socket));
        }

        @Override
        public X509Certificate[] getCertificateChain(String tagged) {
            X509ExtendedKeyManager keys = tagged == null ? null : of(tagged);
            return keys == null ? null : keys.getCertificateChain(alias(tagged));
        }

        @Override
        public PrivateKey getPrivateKey(String tagged) {
            X509ExtendedKeyManager keys = tagged == null ? null : of(tagged);
            return keys == null ? null : keys.getPrivateKey(alias(tagged));
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            String[] aliases = current.getServerAliases(keyType, issuers);
            return aliases == null ? null : Stream.of(aliases).map(this::tag).toArray(String[]::new);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    /** The trust manager of the client CA last read. */
    private static final class CurrentTrust extends X509ExtendedTrustManager {
        private volatile X509ExtendedTrustManager current;

        void use(X509ExtendedTrustManager clients) {
            current = clients;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            current.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            current.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a listener trusts clients only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a listener trusts clients only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a listener trusts clients only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return ((X509TrustManager) current).getAcceptedIssuers();
        }
    }
}
