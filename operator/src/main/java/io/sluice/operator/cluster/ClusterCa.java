package io.sluice.operator.cluster;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Secret;
import io.sluice.protocol.security.CertificateAuthority;

/**
 * The cluster CA as its Secret keeps it: the authority that issues certificates, and what clients trust, its
 * {@code ca.crt}: the authority's certificate first, then earlier certificates of the same key until they expire.
 * Within {@link #WINDOW} of its expiry the CA's certificate is renewed with the same key, as Strimzi renews its CAs:
 * certificates issued before still chain to the new one, and clients that kept the old {@code ca.crt} still trust what
 * the new one issues while the old one lasts; they have that long to take the new {@code ca.crt}.
 */
public record ClusterCa(CertificateAuthority authority, List<X509Certificate> trusted) {

    /** Longer than the issued certificates' window, so clients that copied {@code ca.crt} have months to take it anew. */
    static final Duration WINDOW = Duration.ofDays(90);

    public ClusterCa {
        trusted = List.copyOf(trusted);
    }

    /** The CA of a Secret's {@code ca.crt} (a bundle, the current certificate first) and {@code ca.key}. */
    static ClusterCa fromPem(String trustedPem, String keyPem) {
        return new ClusterCa(CertificateAuthority.fromPem(trustedPem, keyPem),
                CertificateAuthority.certificates(trustedPem));
    }

    /** A new CA, trusted alone. */
    static ClusterCa of(CertificateAuthority authority) {
        return new ClusterCa(authority, List.of(authority.certificate()));
    }

    /** What clients trust, as the Secrets' {@code ca.crt}. */
    public String trustedPem() {
        return CertificateAuthority.certificatesPem(trusted);
    }

    /**
     * Whether the certificate a Secret holds under {@code certificateKey} is to be issued anew: near its expiry
     * ({@link CertificateRenewal}), or issued before the CA's {@code ca.crt} became what it is now (the CA was renewed,
     * or an earlier certificate of it expired).
     */
    public boolean outdates(Secret secret, String certificateKey) {
        return CertificateRenewal.due(SecretData.get(secret, certificateKey), Instant.now())
                || !trustedPem().equals(SecretData.get(secret, ClusterSecurity.CA_CERTIFICATE));
    }

    /**
     * The CA as it should be at {@code now}: renewed for {@code validity} when its certificate is due, and without the
     * earlier certificates that have expired; this same one when nothing changes.
     */
    ClusterCa current(Instant now, Duration validity) {
        List<X509Certificate> kept = new ArrayList<>();
        CertificateAuthority issuing = authority;
        if (CertificateRenewal.due(authority.certificate(), now, WINDOW)) {
            issuing = authority.renewed(validity);
            kept.add(issuing.certificate());
        }
        for (X509Certificate certificate : trusted) {
            if (certificate.getNotAfter().toInstant().isAfter(now)) {
                kept.add(certificate);
            }
        }
        return issuing == authority && kept.equals(trusted) ? this : new ClusterCa(issuing, kept);
    }
}
