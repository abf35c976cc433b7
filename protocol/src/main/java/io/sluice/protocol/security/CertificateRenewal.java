package io.sluice.protocol.security;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * When a certificate a cluster's CA issued is issued anew: within 30 days of its expiry, as Strimzi renews the
 * certificates it manages. The operator reconciles each resource at least every few hours, so a certificate is renewed
 * weeks before it expires ({@code sluice up} renews at each start); the gateway reads a changed certificate file within
 * seconds.
 */
public final class CertificateRenewal {

    public static final Duration WINDOW = Duration.ofDays(30);

    private CertificateRenewal() {
    }

    /** Whether the first certificate of a PEM chain expires within the window at {@code now}, or does not parse. */
    public static boolean due(String chainPem, Instant now) {
        if (chainPem == null) {
            return true;
        }
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)));
            return due(certificate, now, WINDOW);
        } catch (CertificateException | ClassCastException e) {
            return true;
        }
    }

    /** Whether the certificate expires within {@code window} at {@code now}. */
    public static boolean due(X509Certificate certificate, Instant now, Duration window) {
        return certificate.getNotAfter().toInstant().isBefore(now.plus(window));
    }
}
