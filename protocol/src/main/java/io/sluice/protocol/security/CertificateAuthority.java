package io.sluice.protocol.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority of the cluster's own: it signs the listeners' server certificates and clients'
 * certificates for mutual TLS. Keys are ECDSA P-256; files are PEM, keys PKCS#8 and readable by their owner only.
 */
public final class CertificateAuthority {

    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keys;
    private final X509Certificate certificate;

    private CertificateAuthority(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A certificate and its private key. */
    public record Issued(X509Certificate certificate, KeyPair keys) {

        /** Writes {@code name.crt} (the certificate, then the CA's) and {@code name.key} into the folder. */
        public void write(Path folder, String name, X509Certificate ca) {
            writePem(folder.resolve(name + ".crt"), List.of(certificate, ca), false);
            writePem(folder.resolve(name + ".key"), List.of(keys), true);
        }

        /** The certificate followed by the CA's, PEM: what a {@code tls.crt} holds. */
        public String certificateChainPem(X509Certificate ca) {
            return pem(List.of(certificate, ca));
        }

        /** The private key, PKCS#8 PEM. */
        public String keyPem() {
            return pem(List.of(keys));
        }
    }

    /** A new authority, its certificate valid for the given time from now. */
    public static CertificateAuthority create(String name, Duration validity) {
        return selfSigned(newKeys(), new X500Principal("CN=" + name), validity);
    }

    /**
     * This authority with a new certificate of the same subject and key, valid for the given time from now, as a CA
     * certificate nearing its expiry is renewed: what either certificate signed chains to the other too, so clients
     * that still trust only the old one keep trusting what the renewed one issues until the old one expires.
     */
    public CertificateAuthority renewed(Duration validity) {
        return selfSigned(keys, certificate.getSubjectX500Principal(), validity);
    }

    /**
     * An authority of the same subject with a new key, valid for the given time from now: what it issues chains to
     * this one's certificate no longer, so whoever trusts only this one must take the new certificate.
     */
    public CertificateAuthority withNewKey(Duration validity) {
        return selfSigned(newKeys(), certificate.getSubjectX500Principal(), validity);
    }

    private static CertificateAuthority selfSigned(KeyPair keys, X500Principal subject, Duration validity) {
        try {
            X509v3CertificateBuilder builder = builder(subject, subject, keys, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(keys, sign(builder, keys));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a CA certificate", e);
        }
    }

    /** Every certificate of a PEM text, in its order (a trust bundle, a chain). */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object read = parser.readObject(); read != null; read = parser.readObject()) {
                if (read instanceof X509CertificateHolder holder) {
                    certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not PEM certificates: " + e.getMessage(), e);
        }
    }

    /** Certificates as one PEM text. */
    public static String certificatesPem(Collection<X509Certificate> certificates) {
        return pem(List.<Object> copyOf(certificates));
    }

    /**
     * The authority kept as PEM text (its {@link #certificatePem()}, the first certificate of the text, and
     * {@link #keyPem()}), to issue more.
     */
    public static CertificateAuthority fromPem(String certificatePem, String keyPem) {
        try (PEMParser certificates = new PEMParser(new StringReader(certificatePem));
                PEMParser keys = new PEMParser(new StringReader(keyPem))) {
            if (!(certificates.readObject() instanceof X509CertificateHolder holder)) {
                throw new IllegalArgumentException("no PEM certificate");
            }
            if (!(keys.readObject() instanceof PrivateKeyInfo key)) {
                throw new IllegalArgumentException("no PKCS#8 PEM private key");
            }
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            return new CertificateAuthority(
                    new KeyPair(certificate.getPublicKey(), new JcaPEMKeyConverter().getPrivateKey(key)), certificate);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM certificate and key: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The authority's certificate, PEM: what clients trust. */
    public String certificatePem() {
        return pem(List.of(certificate));
    }

    /** The authority's private key, PKCS#8 PEM. */
    public String keyPem() {
        return pem(List.of(keys));
    }

    /** A server certificate for these DNS names and IP addresses (the first name is its common name). */
    public Issued server(List<String> names, Duration validity) {
        return issue("CN=" + names.get(0), names, KeyPurposeId.id_kp_serverAuth, validity);
    }

    /** A client certificate whose subject, {@code CN=name}, is the principal a listener with mutual TLS sees. */
    public Issued client(String name, Duration validity) {
        return issue("CN=" + name, List.of(), KeyPurposeId.id_kp_clientAuth, validity);
    }

    private Issued issue(String subject, List<String> names, KeyPurposeId purpose, Duration validity) {
        KeyPair issued = newKeys();
        try {
            X509v3CertificateBuilder builder = builder(certificate.getSubjectX500Principal(),
                    new X500Principal(subject), issued, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    // By key alone, not the CA certificate's serial too, so it chains to the CA renewed with that key.
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate.getPublicKey()));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
            }
            return new Issued(sign(builder, keys), issued);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject, e);
        }
    }

    private static GeneralNames alternativeNames(List<String> names) {
        List<GeneralName> general = new ArrayList<>();
        for (String name : names) {
            general.add(isAddress(name) ? new GeneralName(GeneralName.iPAddress, name)
                    : new GeneralName(GeneralName.dNSName, name));
        }
        return new GeneralNames(general.toArray(GeneralName[]::new));
    }

    private static boolean isAddress(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static JcaX509v3CertificateBuilder builder(X500Principal issuer, X500Principal subject, KeyPair keys,
            Duration validity) {
        Instant now = Instant.now();
        // An hour back, for clocks a little behind ours.
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(96, RANDOM),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException {
        try {
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder(SIGNATURE)
                    .build(signer.getPrivate()));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks P-256 keys", e);
        }
    }

    private static String pem(List<Object> objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                pem.writeObject(object instanceof KeyPair pair ? new JcaPKCS8Generator(pair.getPrivate(), null)
                        : object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void writePem(Path file, List<Object> objects, boolean secret) {
        writePem(file, pem(objects), secret);
    }

    /**
     * Writes PEM text into a file, readable by its owner only when {@code secret}, in one step: a gateway that reloads
     * the file when it changes never reads it half written.
     */
    static void writePem(Path file, String text, boolean secret) {
        try {
            Files.createDirectories(file.getParent());
            Path written = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------"
                            : "rw-r--r--")));
            Files.writeString(written, text);
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
