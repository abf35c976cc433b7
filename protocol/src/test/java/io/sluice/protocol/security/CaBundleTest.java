package io.sluice.protocol.security;

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
import java.util.Set;

import org.junit.jupiter.api.Test;

class CaBundleTest {

    private static final Duration FIVE_YEARS = Duration.ofDays(5 * 365);

    @Test
    void aCaFarFromItsExpiryStaysAsItIs() {
        CaBundle ca = CaBundle.of(CertificateAuthority.create("calm-ca", FIVE_YEARS));

        assertThat(ca.current(Instant.now(), FIVE_YEARS)).isSameAs(ca);
        assertThat(ca.current(Instant.now().plus(Duration.ofDays(4 * 365)), FIVE_YEARS)).isSameAs(ca);
    }

    @Test
    void aCaNearItsExpiryIsRenewedWithItsKeyAndBothCertificatesAreTrustedUntilTheOldOneExpires() throws Exception {
        Instant now = Instant.now();
        CertificateAuthority old = CertificateAuthority.create("ageing-ca", Duration.ofDays(60));
        X509Certificate issuedBefore = old.server(List.of("gateway"), Duration.ofDays(50)).certificate();

        CaBundle renewed = CaBundle.of(old).current(now, FIVE_YEARS);

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
        // ca.crt's text reads back the same, and nothing changes until the old certificate expires.
        CaBundle read = CaBundle.fromPem(renewed.trustedPem(), renewed.authority().keyPem());
        assertThat(read.trusted()).containsExactly(newCertificate, oldCertificate);
        assertThat(read.current(now, FIVE_YEARS)).isSameAs(read);

        Instant afterTheOld = now.plus(Duration.ofDays(61));
        CaBundle pruned = read.current(afterTheOld, FIVE_YEARS);
        assertThat(pruned.trusted()).containsExactly(newCertificate);
        assertThat(pruned.authority().certificate()).isEqualTo(newCertificate);
        validate(issuedAfter, newCertificate, afterTheOld);
    }

    @Test
    void aReplacedKeyIssuesNoMoreAndItsCertificatesAreTrustedForADayOnly() throws Exception {
        Instant now = Instant.now();
        CertificateAuthority old = CertificateAuthority.create("leaky-ca", FIVE_YEARS);
        CertificateAuthority.Issued issuedBefore = old.client("app", Duration.ofDays(365));

        CaBundle replaced = CaBundle.of(old).withNewKey(FIVE_YEARS);

        X509Certificate newCertificate = replaced.authority().certificate();
        assertThat(newCertificate.getPublicKey()).isNotEqualTo(old.certificate().getPublicKey());
        assertThat(newCertificate.getSubjectX500Principal()).isEqualTo(old.certificate().getSubjectX500Principal());
        assertThat(replaced.trusted()).containsExactly(newCertificate, old.certificate());
        X509Certificate issuedAfter = replaced.authority().server(List.of("gateway"), Duration.ofDays(365))
                .certificate();
        validate(issuedAfter, newCertificate, now);
        assertThatThrownBy(() -> validate(issuedAfter, old.certificate(), now)).as("a client of the old ca.crt")
                .isInstanceOf(CertPathValidatorException.class);
        String before = issuedBefore.certificateChainPem(old.certificate());
        assertThat(CaBundle.of(old).outdates(before, CaBundle.of(old).trustedPem())).isFalse();
        assertThat(replaced.outdates(before, CaBundle.of(old).trustedPem()))
                .as("every certificate of the old key is issued anew").isTrue();
        // Read back from ca.crt's text, the old key's certificate stays trusted through the grace, then goes.
        CaBundle read = CaBundle.fromPem(replaced.trustedPem(), replaced.authority().keyPem());
        assertThat(read.current(now.plus(Duration.ofHours(20)), FIVE_YEARS)).isSameAs(read);
        validate(issuedBefore.certificate(), read.trusted().get(1), now.plus(Duration.ofHours(20)));
        CaBundle pruned = read.current(now.plus(Duration.ofHours(24)), FIVE_YEARS);
        assertThat(pruned.trusted()).containsExactly(newCertificate);
        assertThat(pruned.authority().keyPem()).isEqualTo(replaced.authority().keyPem());
        // The operator reconciles again when the grace ends, not only at its next periodic look.
        assertThat(read.replacedKeyDropped()).contains(newCertificate.getNotBefore().toInstant()
                .plus(CaBundle.REPLACED_KEY_GRACE));
        assertThat(pruned.replacedKeyDropped()).isEmpty();
        assertThat(CaBundle.of(old).replacedKeyDropped()).isEmpty();
    }

    @Test
    void aCertificateOfAnotherKeyDoesNotChainToTheCaBundle() {
        Instant now = Instant.now();
        X509Certificate stranger = CertificateAuthority.create("ageing-ca", Duration.ofDays(60))
                .client("app", Duration.ofDays(30)).certificate();
        CaBundle ca = CaBundle.of(CertificateAuthority.create("ageing-ca", Duration.ofDays(60)))
                .current(now, FIVE_YEARS);

        assertThatThrownBy(() -> validate(stranger, ca.trusted().get(0), now))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void anIssuedCertificateIsOutdatedNearItsExpiryOrOnceTheCaTrustsOtherwise() {
        CertificateAuthority authority = CertificateAuthority.create("issuing-ca", Duration.ofDays(60));
        CaBundle ca = CaBundle.of(authority);
        String fresh = authority.client("app", Duration.ofDays(365)).certificateChainPem(authority.certificate());
        String expiring = authority.client("app", Duration.ofDays(20)).certificateChainPem(authority.certificate());

        assertThat(ca.outdates(fresh, ca.trustedPem())).isFalse();
        assertThat(ca.outdates(expiring, ca.trustedPem())).isTrue();
        CaBundle renewed = ca.current(Instant.now(), FIVE_YEARS);
        assertThat(renewed.outdates(fresh, ca.trustedPem())).as("issued before the renewal").isTrue();
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
