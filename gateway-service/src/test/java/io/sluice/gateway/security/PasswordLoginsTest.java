package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.security.ScramCredentials;
import io.sluice.protocol.security.ScramPasswords;

class PasswordLoginsTest {

    /** Credentials as SecurityView holds them: a change replaces the credential object. */
    private final Map<String, ScramCredential> credentials = new HashMap<>();
    private final ScramCredentials lookup = (user, mechanism) -> credentials.get(mechanism.mechanismName() + user);
    private final PasswordLogins logins = new PasswordLogins(lookup);

    private void give(String user, ScramMechanism mechanism, String password) {
        credentials.put(mechanism.mechanismName() + user, ScramPasswords.credential(mechanism, password, 4096));
    }

    @Test
    void aPasswordIsCheckedAgainstTheStrongestCredentialTheUserHas() {
        give("alice", ScramMechanism.SCRAM_SHA_256, "old");
        give("alice", ScramMechanism.SCRAM_SHA_512, "new");
        give("bob", ScramMechanism.SCRAM_SHA_256, "bobs");

        assertThat(logins.verify("alice", "new")).isTrue();
        assertThat(logins.verify("alice", "old")).isFalse();
        assertThat(logins.verify("bob", "bobs")).isTrue();
        assertThat(logins.verify("carol", "anything")).isFalse();
    }

    @Test
    void onlyAPasswordFoundGoodIsKnownWithoutDerivingAgain() {
        give("alice", ScramMechanism.SCRAM_SHA_512, "s3cret");

        assertThat(logins.knownGood("alice", "s3cret")).isFalse();
        assertThat(logins.verify("alice", "wrong")).isFalse();
        assertThat(logins.knownGood("alice", "wrong")).isFalse();
        assertThat(logins.verify("alice", "s3cret")).isTrue();
        assertThat(logins.knownGood("alice", "s3cret")).isTrue();
        assertThat(logins.knownGood("alice", "s3cret ")).isFalse();
        assertThat(logins.knownGood("bob", "s3cret")).isFalse();
    }

    @Test
    void aChangedOrDeletedCredentialForgetsTheGoodPassword() {
        give("alice", ScramMechanism.SCRAM_SHA_512, "s3cret");
        assertThat(logins.verify("alice", "s3cret")).isTrue();

        give("alice", ScramMechanism.SCRAM_SHA_512, "s3cret");
        assertThat(logins.knownGood("alice", "s3cret")).as("a new credential, even of the same password").isFalse();
        assertThat(logins.verify("alice", "s3cret")).isTrue();

        give("alice", ScramMechanism.SCRAM_SHA_512, "other");
        assertThat(logins.knownGood("alice", "s3cret")).isFalse();
        assertThat(logins.verify("alice", "s3cret")).isFalse();

        credentials.clear();
        assertThat(logins.verify("alice", "other")).isFalse();
    }
}
