package io.sluice.protocol.security;

import java.nio.file.Path;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SSLOptions;

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

    /** The files as Vert.x reads them, anew each time the options are applied. */
    public SSLOptions options() {
        SSLOptions options = new SSLOptions().setKeyCertOptions(new PemKeyCertOptions()
                .addCertPath(certificate.toString())
                .addKeyPath(key.toString()));
        if (clientCa != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(clientCa.toString()));
        }
        return options;
    }
}
