package io.sluice.protocol.security;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLPeerUnverifiedException;

import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * A client certificate's subject as the principal, named as Kafka's default principal builder names it
 * ({@code User:CN=…,O=…}): the same on the Kafka listeners and on HTTPS, so one set of ACLs serves both.
 */
public final class CertificatePrincipal {

    /** The certificates a TLS peer presented, verified against the listener's client CA. */
    public interface Peer {
        List<Certificate> certificates() throws SSLPeerUnverifiedException;
    }

    private CertificatePrincipal() {
    }

    /** The principal of the peer's certificate; null when it presented none. */
    public static KafkaPrincipal of(Peer peer) {
        try {
            List<Certificate> certificates = peer.certificates();
            return !certificates.isEmpty() && certificates.get(0) instanceof X509Certificate certificate
                    ? new KafkaPrincipal(KafkaPrincipal.USER_TYPE, certificate.getSubjectX500Principal().getName())
                    : null;
        } catch (SSLPeerUnverifiedException none) {
            return null;
        }
    }
}
