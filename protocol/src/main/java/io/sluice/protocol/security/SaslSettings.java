package io.sluice.protocol.security;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * A listener's SASL: the mechanisms it offers, where it finds users' credentials, and how long a session lasts before
 * the client must authenticate again (Kafka's {@code connections.max.reauth.ms}, KIP-368; zero for as long as the
 * connection).
 *
 * @param plainWithoutTls whether PLAIN, which sends the password itself, may be offered on a listener without TLS
 */
public record SaslSettings(List<String> mechanisms, ScramCredentials credentials, Duration maxSession,
        boolean plainWithoutTls) {

    public static final String PLAIN = "PLAIN";
    /** Every mechanism a listener can offer. */
    public static final Set<String> KNOWN = Set.of(PLAIN, ScramMechanism.SCRAM_SHA_256.mechanismName(),
            ScramMechanism.SCRAM_SHA_512.mechanismName());

    public SaslSettings {
        mechanisms = List.copyOf(mechanisms);
        if (mechanisms.isEmpty()) {
            throw new IllegalArgumentException("a SASL listener needs at least one mechanism");
        }
        for (String mechanism : mechanisms) {
            if (!KNOWN.contains(mechanism)) {
                throw new IllegalArgumentException("unknown SASL mechanism " + mechanism + "; known: " + KNOWN);
            }
        }
        if (maxSession.isNegative()) {
            throw new IllegalArgumentException("the longest session must not be negative");
        }
    }
}
