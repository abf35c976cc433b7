package io.sluice.protocol.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

import io.sluice.protocol.contract.ServiceContract;
import io.sluice.protocol.net.ChannelLogin;

/**
 * What makes a process a member of its cluster: one secret every broker, coordinator and gateway is given
 * ({@code ServiceContract.MEMBER_SECRET}), from which each use derives its own proof, so that no use hands another
 * the secret itself.
 * <ul>
 * <li>Kafka ports of brokers and coordinators: SASL with SCRAM-SHA-512 as the user {@value #USER}; the secret never
 * crosses the wire.
 * <li>HTTP endpoints of brokers and coordinators: the header {@value #HEADER}, an HMAC of the secret. Not
 * {@code Authorization}, which Kubernetes' API server proxy takes for itself when the operator calls a pod.
 * <li>JGroups between brokers and between coordinators: sealed (AES-GCM) with an AES key, another HMAC of the secret.
 * </ul>
 */
public final class MemberCredential {

    /** The principal members authenticate as on internal Kafka ports. */
    public static final String USER = "sluice-member";
    /** The shortest secret taken: 128 bits of a base64 secret. */
    public static final int MIN_SECRET_LENGTH = 22;
    private static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_512;
    private static final int ITERATIONS = 4096;
    /** The HTTP header that carries a member's token. */
    public static final String HEADER = "Sluice-Member";

    private final String secret;
    private final byte[] token;
    private final ScramCredential scram;

    public MemberCredential(String secret) {
        if (secret == null || secret.strip().length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("a member secret needs at least " + MIN_SECRET_LENGTH + " characters");
        }
        this.secret = secret.strip();
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(derive("http"))
                .getBytes(StandardCharsets.US_ASCII);
        this.scram = ScramPasswords.credential(MECHANISM, this.secret, ITERATIONS);
    }

    /** A new random secret of 256 bits, base64 (URL alphabet). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The security of a broker's or coordinator's Kafka listener: SASL_PLAINTEXT, members only. */
    public ListenerSecurity listener() {
        return new ListenerSecurity(SecurityProtocol.SASL_PLAINTEXT, null, new SaslSettings(
                List.of(MECHANISM.mechanismName()),
                (user, mechanism) -> USER.equals(user) && mechanism == MECHANISM ? scram : null,
                Duration.ZERO, false));
    }

    /** How a member's channel to a broker or coordinator logs in. */
    public ChannelLogin login() {
        return new ScramLogin(MECHANISM, USER, secret);
    }

    /** The value of the {@value #HEADER} header a member sends to another member's HTTP endpoints. */
    public String token() {
        return new String(token, StandardCharsets.US_ASCII);
    }

    /**
     * Whether an HTTP request for {@code path} may be served: health and metrics are open to probes and scrapers,
     * everything else only to members.
     */
    public boolean admitsHttp(String path, String header) {
        return path.startsWith(ServiceContract.HEALTH_PATH) || path.equals(ServiceContract.METRICS_PATH)
                || admits(header);
    }

    /** Whether a {@value #HEADER} header's value (null when absent) is a member's. */
    public boolean admits(String header) {
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.US_ASCII), token);
    }

    /** The AES-256 key of the members' JGroups traffic. */
    public SecretKey jgroupsKey() {
        return new SecretKeySpec(derive("jgroups"), "AES");
    }

    private byte[] derive(String use) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(("sluice member " + use).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }
}
