package io.sluice.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.sluice.protocol.security.CertificateAuthority;

class ClusterCaTest {

    private static final Duration FIVE_YEARS = Duration.ofDays(5 * 365);

    @Test
    void aCaFarFromItsExpiryStaysAsItIs() {
        ClusterCa ca = ClusterCa.of(CertificateAuthority.create("calm-ca", FIVE_YEARS));

        assertThat(ca.current(Instant.now(), FIVE_YEARS)).isSameAs(ca);
        assertThat(ca.current(Instant.now().plus(Duration.ofDays(4 * 365)), FIVE_YEARS)).isSameAs(ca);
    }

    @Test
    void aCaNearItsExpiryIsRenewedWithItsKeyAndBothCertificatesAreTrustedUntilTheOldOneExpires() throws Exception {
        Instant now = Instant.now();
        CertificateAuthority old = CertificateAuthority.create("ageing-ca", Duration.ofDays(60));
        X509Certificate issuedBefore = old.server(List.of("gateway"), Duration.ofDays(50)).certificate();

        ClusterCa renewed = ClusterCa.of(old).current(now, FIVE_YEARS);

        X509Certificate oldCertificate = old.certificate();
        X509Certificate newCertificate = renewed.authority().certificate();
        assertThat(newCertificate).isNotEqualTo(oldCertificate);
        assertThat(newCertificate.getPublicKey()).isEqualTo(oldCertificate.getPublicKey());
        assertThat(newCertificate.getSubjectX500Principal()).isEqualTo(oldCertificate.getSubjectX500Principal());
        assertThat(newCertificate.getNotAfter().toInstant()).isAfter(now.plus(Duration.ofDays(4 * 365)));
        assertThat(renewed.trusted()).containsExactly(newCertificate, oldCertificate);
        // A client that kept the old ca.crt trusts what the renewed CA issues, and the other way round.
        X509Certificate issuedAfter = renewed.authority().client("app", Duration.ofDays(365)).certificate();
        validate(issuedAfter, oldCertificate, now);
        validate(issuedBefore, newCertificate, now);
        // The Secret's text reads back the same, and nothing changes until the old certificate expires.
        ClusterCa read = ClusterCa.fromPem(renewed.trustedPem(), renewed.authority().keyPem());
        assertThat(read.trusted()).containsExactly(newCertificate, oldCertificate);
        assertThat(read.current(now, FIVE_YEARS)).isSameAs(read);

        Instant afterTheOld = now.plus(Duration.ofDays(61));
        ClusterCa pruned = read.current(afterTheOld, FIVE_YEARS);
        assertThat(pruned.trusted()).containsExactly(newCertificate);
        assertThat(pruned.authority().certificate()).isEqualTo(newCertificate);
        validate(issuedAfter, newCertificate, afterTheOld);
    }

    @Test
    void aReplacedKeyIssuesNoMoreAndItsCertificatesAreTrustedForADayOnly() throws Exception {
        Instant now = Instant.now();
        CertificateAuthority old = CertificateAuthority.create("leaky-ca", FIVE_YEARS);
        CertificateAuthority.Issued issuedBefore = old.client("app", Duration.ofDays(365));

        ClusterCa replaced = ClusterCa.of(old).withNewKey(FIVE_YEARS);

        X509Certificate newCertificate = replaced.authority().certificate();
        assertThat(newCertificate.getPublicKey()).isNotEqualTo(old.certificate().getPublicKey());
        assertThat(newCertificate.getSubjectX500Principal()).isEqualTo(old.certificate().getSubjectX500Principal());
        assertThat(replaced.trusted()).containsExactly(newCertificate, old.certificate());
        X509Certificate issuedAfter = replaced.authority().server(List.of("gateway"), Duration.ofDays(365))
                .certificate();
        validate(issuedAfter, newCertificate, now);
        assertThatThrownBy(() -> validate(issuedAfter, old.certificate(), now)).as("a client of the old ca.crt")
                .isInstanceOf(CertPathValidatorException.class);
        Secret before = secret(issuedBefore.certificateChainPem(old.certificate()), ClusterCa.of(old).trustedPem());
        assertThat(ClusterCa.of(old).outdates(before, "user.crt")).isFalse();
        assertThat(replaced.outdates(before, "user.crt")).as("every certificate of the old key is issued anew")
                .isTrue();
        // Read back from the Secret's text, the old key's certificate stays trusted through the grace, then goes.
        ClusterCa read = ClusterCa.fromPem(replaced.trustedPem(), replaced.authority().keyPem());
        assertThat(read.current(now.plus(Duration.ofHours(20)), FIVE_YEARS)).isSameAs(read);
        validate(issuedBefore.certificate(), read.trusted().get(1), now.plus(Duration.ofHours(20)));
        ClusterCa pruned = read.current(now.plus(Duration.ofHours(24)), FIVE_YEARS);
        assertThat(pruned.trusted()).containsExactly(newCertificate);
        assertThat(pruned.authority().keyPem()).isEqualTo(replaced.authority().keyPem());
    }

    @Test
    void aCertificateOfAnotherKeyDoesNotChainToTheClusterCa() {
        Instant now = Instant.now();
        X509Certificate stranger = CertificateAuthority.create("ageing-ca", Duration.ofDays(60))
                .client("app", Duration.ofDays(30)).certificate();
        ClusterCa ca = ClusterCa.of(CertificateAuthority.create("ageing-ca", Duration.ofDays(60)))
                .current(now, FIVE_YEARS);

        assertThatThrownBy(() -> validate(stranger, ca.trusted().get(0), now))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void anIssuedCertificateIsOutdatedNearItsExpiryOrOnceTheCaTrustsOtherwise() {
        CertificateAuthority authority = CertificateAuthority.create("issuing-ca", Duration.ofDays(60));
        ClusterCa ca = ClusterCa.of(authority);
        String fresh = authority.client("app", Duration.ofDays(365)).certificateChainPem(authority.certificate());
        String expiring = authority.client("app", Duration.ofDays(20)).certificateChainPem(authority.certificate());

        assertThat(ca.outdates(secret(fresh, ca.trustedPem()), "user.crt")).isFalse();
        assertThat(ca.outdates(secret(expiring, ca.trustedPem()), "user.crt")).isTrue();
        ClusterCa renewed = ca.current(Instant.now(), FIVE_YEARS);
        assertThat(renewed.outdates(secret(fresh, ca.trustedPem()), "user.crt")).as("issued before the renewal")
                .isTrue();
    }

    private static Secret secret(String certificateChain, String trusted) {
        return new SecretBuilder().withData(SecretData.encode(Map.of("user.crt", certificateChain, "ca.crt", trusted)))
                .build();
    }

    /** PKIX path validation, as a TLS peer does it, of a certificate against one trusted CA certificate. */
    private static void validate(X509Certificate certificate, X509Certificate trusted, Instant at) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(trusted, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), parameters);
    }
}
