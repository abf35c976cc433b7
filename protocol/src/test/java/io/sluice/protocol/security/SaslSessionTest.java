package io.sluice.protocol.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.SaslClient;

import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;
import org.junit.jupiter.api.Test;

/** The server side of SASL driven by Kafka's own SCRAM client, and PLAIN tokens as clients send them. */
class SaslSessionTest {

    private static final ScramMechanism SHA512 = ScramMechanism.SCRAM_SHA_512;
    private static final Map<String, ScramCredential> USERS = Map.of(
            "alice", ScramPasswords.credential(SHA512, "alice-secret", 4096),
            "bob", ScramPasswords.credential(SHA512, "bob-secret", 4096));
    private static final SaslSettings SETTINGS = new SaslSettings(List.of("SCRAM-SHA-512", "PLAIN"),
            (user, mechanism) -> mechanism == SHA512 ? USERS.get(user) : null, Duration.ofMinutes(1), false);

    private final SaslSession session = new SaslSession(SETTINGS);

    @Test
    void aScramLoginNamesThePrincipalAndTellsTheSessionLifetime() throws Exception {
        SaslAuthenticateResponseData last = scram("alice", "alice-secret", 1_000);

        assertThat(Errors.forCode(last.errorCode())).isEqualTo(Errors.NONE);
        assertThat(last.sessionLifetimeMs()).isEqualTo(60_000);
        assertThat(session.principal()).isEqualTo(new KafkaPrincipal("User", "alice"));
        assertThat(session.failure()).isNull();
        assertThat(session.expired(60_999)).isFalse();
        assertThat(session.expired(61_000)).isTrue();
    }

    @Test
    void aWrongPasswordOrAnUnknownUserFailsAndClosesTheConnection() throws Exception {
        assertThat(Errors.forCode(scram("alice", "wrong", 0).errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
        assertThat(session.authenticated()).isFalse();
        assertThat(session.failure()).isNotNull();

        SaslSession other = new SaslSession(SETTINGS);
        other.handshake(new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-512"));
        SaslClient client = new ScramSaslClient(SHA512, callbacks("mallory", "x"));
        SaslAuthenticateResponseData first = other.authenticate(new SaslAuthenticateRequestData()
                .setAuthBytes(client.evaluateChallenge(new byte[0])), (short) 2, 0);
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
        assertThat(other.failure()).isNotNull();
    }

    @Test
    void librdkafkaBefore261RepeatingItsNonceInTheFinalMessageLogsIn() throws Exception {
        SaslAuthenticateResponseData last = handwrittenScram("alice", "alice-secret",
                (clientNonce, combinedNonce) -> clientNonce + combinedNonce);

        assertThat(Errors.forCode(last.errorCode())).isEqualTo(Errors.NONE);
        assertThat(session.principal()).isEqualTo(new KafkaPrincipal("User", "alice"));
    }

    @Test
    void aFinalMessageWithoutThisExchangesServerNonceIsRefusedThoughItsProofMatches() throws Exception {
        for (BinaryOperator<String> nonce : List.<BinaryOperator<String>> of((clientNonce, combinedNonce) -> clientNonce,
                (clientNonce, combinedNonce) -> clientNonce + "replayed",
                (clientNonce, combinedNonce) -> "x" + combinedNonce)) {
            SaslSession fresh = new SaslSession(SETTINGS);
            SaslAuthenticateResponseData last = handwrittenScram(fresh, "alice", "alice-secret", nonce);

            assertThat(Errors.forCode(last.errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
            assertThat(fresh.authenticated()).isFalse();
            assertThat(fresh.failure()).isNotNull();
        }
    }

    @Test
    void anUnknownMechanismIsRefusedWithTheEnabledOnes() {
        var answer = session.handshake(new SaslHandshakeRequestData().setMechanism("GSSAPI"));

        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM);
        assertThat(answer.mechanisms()).containsExactly("SCRAM-SHA-512", "PLAIN");
        assertThat(session.failure()).isNotNull();
    }

    @Test
    void plainChecksThePasswordAgainstTheScramCredential() {
        assertThat(Errors.forCode(plain(session, "bob", "bob-secret").errorCode())).isEqualTo(Errors.NONE);
        assertThat(session.principal().getName()).isEqualTo("bob");

        SaslSession wrong = new SaslSession(SETTINGS);
        assertThat(Errors.forCode(plain(wrong, "bob", "alice-secret").errorCode()))
                .isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
    }

    @Test
    void reauthenticationKeepsThePrincipalAndTheMechanism() throws Exception {
        scram("alice", "alice-secret", 0);

        assertThat(Errors.forCode(scram("alice", "alice-secret", 30_000).errorCode())).isEqualTo(Errors.NONE);
        assertThat(session.expired(61_000)).isFalse();
        assertThat(session.completions()).isEqualTo(2);

        SaslAuthenticateResponseData asBob = scram("bob", "bob-secret", 40_000);
        assertThat(Errors.forCode(asBob.errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
        assertThat(asBob.errorMessage()).contains("Cannot change principals");
        assertThat(session.failure()).isNotNull();
    }

    @Test
    void authenticateBeforeHandshakeIsAnIllegalState() {
        SaslAuthenticateResponseData answer = session.authenticate(new SaslAuthenticateRequestData()
                .setAuthBytes(new byte[] { 1 }), (short) 1, 0);

        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.ILLEGAL_SASL_STATE);
        assertThat(session.failure()).isNotNull();
    }

    /** A whole SCRAM exchange through the session: client-first, then client-final; the last answer. */
    private SaslAuthenticateResponseData scram(String user, String password, long now) throws Exception {
        assertThat(Errors.forCode(session.handshake(new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-512"))
                .errorCode())).isEqualTo(Errors.NONE);
        SaslClient client = new ScramSaslClient(SHA512, callbacks(user, password));
        SaslAuthenticateResponseData serverFirst = session.authenticate(new SaslAuthenticateRequestData()
                .setAuthBytes(client.evaluateChallenge(new byte[0])), (short) 2, now);
        if (serverFirst.errorCode() != Errors.NONE.code()) {
            return serverFirst;
        }
        return session.authenticate(new SaslAuthenticateRequestData()
                .setAuthBytes(client.evaluateChallenge(serverFirst.authBytes())), (short) 2, now);
    }

    private SaslAuthenticateResponseData handwrittenScram(String user, String password,
            BinaryOperator<String> finalNonce) throws Exception {
        return handwrittenScram(session, user, password, finalNonce);
    }

    /**
     * A SCRAM exchange whose final message carries the nonce made of the client's own and the combined one of the
     * server's first message, with the proof signed over exactly that message, as a client that builds its own
     * messages sends them.
     */
    private static SaslAuthenticateResponseData handwrittenScram(SaslSession target, String user, String password,
            BinaryOperator<String> finalNonce) throws Exception {
        target.handshake(new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-512"));
        ScramFormatter formatter = new ScramFormatter(SHA512);
        ClientFirstMessage clientFirst = new ClientFirstMessage(ScramFormatter.saslName(user),
                formatter.secureRandomString(), Map.of());
        SaslAuthenticateResponseData answer = target.authenticate(new SaslAuthenticateRequestData()
                .setAuthBytes(clientFirst.toBytes()), (short) 2, 0);
        ServerFirstMessage serverFirst = new ServerFirstMessage(answer.authBytes());
        ClientFinalMessage clientFinal = new ClientFinalMessage("n,,".getBytes(StandardCharsets.UTF_8),
                finalNonce.apply(clientFirst.nonce(), serverFirst.nonce()));
        byte[] salted = formatter.saltedPassword(password, serverFirst.salt(), serverFirst.iterations());
        clientFinal.proof(formatter.clientProof(salted, clientFirst, serverFirst, clientFinal));
        return target.authenticate(new SaslAuthenticateRequestData().setAuthBytes(clientFinal.toBytes()), (short) 2,
                0);
    }

    private static SaslAuthenticateResponseData plain(SaslSession session, String user, String password) {
        session.handshake(new SaslHandshakeRequestData().setMechanism("PLAIN"));
        byte[] token = ("\u0000" + user + "\u0000" + password).getBytes(StandardCharsets.UTF_8);
        return session.authenticate(new SaslAuthenticateRequestData().setAuthBytes(token), (short) 2, 0);
    }

    private static CallbackHandler callbacks(String user, String password) {
        return (Callback[] callbacks) -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PasswordCallback secret) {
                    secret.setPassword(password.toCharArray());
                } else if (callback instanceof ScramExtensionsCallback extensions) {
                    extensions.extensions(Map.of());
                }
            }
        };
    }
}
