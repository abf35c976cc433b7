package io.sluice.protocol.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class CertificateRenewalTest {

    private static final CertificateAuthority CA = CertificateAuthority.create("renewal-test-ca", Duration.ofDays(90));

    private static String chain(Duration validity) {
        return CA.server(List.of("gateway"), validity).certificateChainPem(CA.certificate());
    }

    @Test
    void aCertificateIsDueWithinThirtyDaysOfItsExpiry() {
        Instant now = Instant.now();

        assertThat(CertificateRenewal.due(chain(Duration.ofDays(60)), now)).isFalse();
        assertThat(CertificateRenewal.due(chain(Duration.ofDays(29)), now)).isTrue();
        assertThat(CertificateRenewal.due(chain(Duration.ofDays(60)), now.plus(Duration.ofDays(31)))).isTrue();
    }

    @Test
    void aMissingOrUnreadableCertificateIsDue() {
        assertThat(CertificateRenewal.due(null, Instant.now())).isTrue();
        assertThat(CertificateRenewal.due("-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----\n",
                Instant.now())).isTrue();
    }
}
