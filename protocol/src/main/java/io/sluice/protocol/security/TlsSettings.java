package io.sluice.protocol.security;

import java.nio.file.Path;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * A listener's TLS: its certificate chain and private key as PEM files (as cert-manager and Kubernetes TLS Secrets
 * hold them), and for mutual TLS the CA certificates that client certificates must chain to.
 *
 * @param clientCa null when clients present no certificate
 * @param clientAuth whether a client certificate is asked for, and whether it is required
 */
public record TlsSettings(Path certificate, Path key, Path clientCa, ClientAuth clientAuth) {

    public TlsSettings {
        if (clientAuth != ClientAuth.NONE && clientCa == null) {
            throw new IllegalArgumentException("client certificates need the CA they must chain to");
        }
    }

    /** Reads certificate and key now. */
    public X509ExtendedKeyManager keyManager(Vertx vertx) throws Exception {
        KeyManager[] managers = new PemKeyCertOptions().addCertPath(certificate.toString())
                .addKeyPath(key.toString()).getKeyManagerFactory(vertx).getKeyManagers();
        return (X509ExtendedKeyManager) managers[0];
    }

    /** Reads the client CA now. */
    public X509ExtendedTrustManager trustManager(Vertx vertx) throws Exception {
        TrustManager[] managers = new PemTrustOptions().addCertPath(clientCa.toString())
                .getTrustManagerFactory(vertx).getTrustManagers();
        return (X509ExtendedTrustManager) managers[0];
    }
}
