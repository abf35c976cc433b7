package io.sluice.protocol.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/** SCRAM's key derivation (RFC 5802) from a password, through Kafka's formatter. */
public final class ScramPasswords {

    private ScramPasswords() {
    }

    /** Whether the password derives the credential's stored key. */
    public static boolean verify(ScramMechanism mechanism, ScramCredential credential, String password) {
        try {
            ScramFormatter formatter = new ScramFormatter(mechanism);
            byte[] salted = formatter.saltedPassword(password, credential.salt(), credential.iterations());
            return MessageDigest.isEqual(formatter.storedKey(formatter.clientKey(salted)), credential.storedKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + mechanism.mechanismName() + "'s hash", e);
        }
    }

    /** A new credential for the password, with a random salt. */
    public static ScramCredential credential(ScramMechanism mechanism, String password, int iterations) {
        try {
            return new ScramFormatter(mechanism).generateCredential(password, iterations);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + mechanism.mechanismName() + "'s hash", e);
        }
    }
}
