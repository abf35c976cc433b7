package io.sluice.protocol.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A CA as a cluster keeps it: the authority that issues certificates, and what clients trust, its {@code ca.crt}: the
 * authority's certificate first, then earlier certificates until they expire. Within {@link #WINDOW} of its expiry the
 * CA's certificate is renewed with the same key, as Strimzi renews its CAs: certificates issued before still chain to
 * the new one, and clients that kept the old {@code ca.crt} still trust what the new one issues while the old one
 * lasts; they have that long to take the new {@code ca.crt}. Its key is replaced on request ({@link #withNewKey}); the
 * certificates of the replaced key stay trusted for {@link #REPLACED_KEY_GRACE}. The operator keeps it in the cluster
 * CA's Secret, {@code sluice up --secure} in {@code <data>/tls}.
 */
public record CaBundle(CertificateAuthority authority, List<X509Certificate> trusted) {

    /** Longer than the issued certificates' window, so clients that copied {@code ca.crt} have months to take it anew. */
    public static final Duration WINDOW = Duration.ofDays(90);

    /**
     * How long after a key replacement the certificates of the replaced key stay in {@code ca.crt}: time for clients
     * of mutual TLS to take the certificates issued anew, short because a key is replaced when it may have leaked.
     */
    public static final Duration REPLACED_KEY_GRACE = Duration.ofDays(1);

    public CaBundle {
        trusted = List.copyOf(trusted);
    }

    /** The CA of a {@code ca.crt} (a bundle, the current certificate first) and its {@code ca.key}. */
    public static CaBundle fromPem(String trustedPem, String keyPem) {
        return new CaBundle(CertificateAuthority.fromPem(trustedPem, keyPem),
                CertificateAuthority.certificates(trustedPem));
    }

    /** The CA {@link #write} left in a folder. */
    public static CaBundle load(Path folder) {
        try {
            return fromPem(Files.readString(folder.resolve("ca.crt")), Files.readString(folder.resolve("ca.key")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA in " + folder, e);
        }
    }

    /** A new CA, trusted alone. */
    public static CaBundle of(CertificateAuthority authority) {
        return new CaBundle(authority, List.of(authority.certificate()));
    }

    /** What clients trust, as {@code ca.crt}. */
    public String trustedPem() {
        return CertificateAuthority.certificatesPem(trusted);
    }

    /** Writes {@code ca.crt} (the bundle) and {@code ca.key} (readable by the owner only) into the folder. */
    public void write(Path folder) {
        CertificateAuthority.writePem(folder.resolve("ca.crt"), trustedPem(), false);
        CertificateAuthority.writePem(folder.resolve("ca.key"), authority.keyPem(), true);
    }

    /**
     * Whether a certificate issued from this CA is to be issued anew: near its expiry ({@link CertificateRenewal}), or
     * issued before {@code ca.crt} became what it is now (the CA was renewed, given a new key, or an earlier
     * certificate of it expired), which {@code trustedWhenIssued}, the {@code ca.crt} kept beside it, tells.
     */
    public boolean outdates(String certificateChainPem, String trustedWhenIssued) {
        return CertificateRenewal.due(certificateChainPem, Instant.now()) || !trustedPem().equals(trustedWhenIssued);
    }

    /**
     * This CA with a new key and a certificate of it, valid for {@code validity}, first in {@code ca.crt}: everything
     * it issues from now on chains only to the new certificate, and the earlier certificates stay trusted until
     * {@link #current} drops them.
     */
    public CaBundle withNewKey(Duration validity) {
        CertificateAuthority replacing = authority.withNewKey(validity);
        List<X509Certificate> bundle = new ArrayList<>();
        bundle.add(replacing.certificate());
        bundle.addAll(trusted);
        return new CaBundle(replacing, bundle);
    }

    /** When {@link #current} drops the certificates of a replaced key from {@code ca.crt}; none when there are none. */
    public Optional<Instant> replacedKeyDropped() {
        PublicKey key = authority.certificate().getPublicKey();
        return trusted.stream().anyMatch(c -> !c.getPublicKey().equals(key))
                ? Optional.of(replacedKeysExpire())
                : Optional.empty();
    }

    /**
     * The CA as it should be at {@code now}: renewed for {@code validity} when its certificate is due, and without the
     * earlier certificates that have expired or are of a key replaced more than {@link #REPLACED_KEY_GRACE} ago; this
     * same one when nothing changes.
     */
    public CaBundle current(Instant now, Duration validity) {
        List<X509Certificate> kept = new ArrayList<>();
        CertificateAuthority issuing = authority;
        if (CertificateRenewal.due(authority.certificate(), now, WINDOW)) {
            issuing = authority.renewed(validity);
            kept.add(issuing.certificate());
        }
        boolean replacedKeysExpired = now.isAfter(replacedKeysExpire());
        for (X509Certificate certificate : trusted) {
            boolean ofReplacedKey = !certificate.getPublicKey().equals(authority.certificate().getPublicKey());
            if (certificate.getNotAfter().toInstant().isAfter(now) && !(ofReplacedKey && replacedKeysExpired)) {
                kept.add(certificate);
            }
        }
        return issuing == authority && kept.equals(trusted) ? this : new CaBundle(issuing, kept);
    }

    /**
     * Counted from the start of the authority's certificate (backdated an hour): the one made with the new key, as a
     * renewal comes years later, when the replaced key's certificates are long gone.
     */
    private Instant replacedKeysExpire() {
        return authority.certificate().getNotBefore().toInstant().plus(REPLACED_KEY_GRACE);
    }
}
