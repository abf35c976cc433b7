package io.sluice.protocol.security;

import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * How a Kafka listener secures its connections, as Kafka's {@code security.protocol} names it: TLS settings for
 * {@code SSL} and {@code SASL_SSL}, SASL settings for {@code SASL_PLAINTEXT} and {@code SASL_SSL}.
 */
public record ListenerSecurity(SecurityProtocol protocol, TlsSettings tls, SaslSettings sasl) {

    public static final ListenerSecurity PLAINTEXT = new ListenerSecurity(SecurityProtocol.PLAINTEXT, null, null);

    public ListenerSecurity {
        if (usesTls(protocol) != (tls != null)) {
            throw new IllegalArgumentException(protocol + (tls == null ? " needs" : " takes no")
                    + " TLS certificate and key");
        }
        if (usesSasl(protocol) != (sasl != null)) {
            throw new IllegalArgumentException(protocol + (sasl == null ? " needs" : " takes no") + " SASL mechanisms");
        }
        if (sasl != null && tls == null && sasl.mechanisms().contains(SaslSettings.PLAIN) && !sasl.plainWithoutTls()) {
            throw new IllegalArgumentException("PLAIN sends passwords in the clear without TLS: use SASL_SSL, or allow "
                    + "PLAIN without TLS explicitly");
        }
    }

    public static boolean usesTls(SecurityProtocol protocol) {
        return protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
    }

    public static boolean usesSasl(SecurityProtocol protocol) {
        return protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
    }
}
