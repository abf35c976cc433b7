package io.sluice.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

import io.sluice.protocol.security.ScramCredentials;
import io.sluice.protocol.security.ScramPasswords;

/**
 * Checks a user's password against the strongest SCRAM credential the user has, as SASL PLAIN does. Deriving the key
 * takes milliseconds, and an HTTP client sends its password with every request, so each user's last good password is
 * remembered, as an HMAC under a key of this process, together with the credential it was checked against: a request
 * with the same password against the same credential is let in without deriving ({@link #knownGood}), and a changed
 * or deleted credential is never matched by what was remembered.
 */
public final class PasswordLogins {

    /** At most this many users are remembered; the one used longest ago is forgotten first. */
    static final int REMEMBERED = 4096;
    private static final ScramMechanism[] STRONGEST_FIRST = { ScramMechanism.SCRAM_SHA_512,
            ScramMechanism.SCRAM_SHA_256 };

    private record Good(ScramCredential credential, byte[] passwordMac) {
    }

    private record Strongest(ScramMechanism mechanism, ScramCredential credential) {
    }

    private final ScramCredentials credentials;
    private final SecretKeySpec macKey;
    private final Map<String, Good> remembered = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Good> eldest) {
            return size() > REMEMBERED;
        }
    };

    public PasswordLogins(ScramCredentials credentials) {
        this.credentials = credentials;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.macKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /** Whether the password is the one last found good for the user's current credential; cheap, derives nothing. */
    public boolean knownGood(String user, String password) {
        Strongest current = strongest(user);
        if (current == null) {
            return false;
        }
        Good good;
        synchronized (remembered) {
            good = remembered.get(user);
        }
        return good != null && good.credential() == current.credential()
                && MessageDigest.isEqual(good.passwordMac(), mac(password));
    }

    /** Whether the user has a SCRAM credential. */
    public boolean known(String user) {
        return strongest(user) != null;
    }

    /** Whether the password derives the user's strongest credential; costs a key derivation, so not on an event loop. */
    public boolean verify(String user, String password) {
        if (knownGood(user, password)) {
            return true;
        }
        Strongest current = strongest(user);
        if (current == null || !ScramPasswords.verify(current.mechanism(), current.credential(), password)) {
            return false;
        }
        synchronized (remembered) {
            remembered.put(user, new Good(current.credential(), mac(password)));
        }
        return true;
    }

    /**
     * The credential a login is checked against. The credentials' copy is replaced whole when any of them changes, so
     * an unchanged credential is the same object until then: comparing identities is enough, and safe.
     */
    private Strongest strongest(String user) {
        for (ScramMechanism mechanism : STRONGEST_FIRST) {
            ScramCredential credential = credentials.find(user, mechanism);
            if (credential != null) {
                return new Strongest(mechanism, credential);
            }
        }
        return null;
    }

    private byte[] mac(String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(macKey);
            return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }
}
