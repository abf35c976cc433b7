package io.sluice.protocol.security;

import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;

import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.net.KafkaChannel;

/**
 * A SCRAM login on a channel, as a Kafka client makes it: SaslHandshake v1, then SaslAuthenticate until Kafka's own
 * client mechanism has checked the server's proof. The password never crosses the wire.
 */
final class ScramLogin implements ChannelLogin {

    private static final short HANDSHAKE_VERSION = 1;
    private static final short AUTHENTICATE_VERSION = 2;

    private final ScramMechanism mechanism;
    private final String user;
    private final char[] password;

    ScramLogin(ScramMechanism mechanism, String user, String password) {
        this.mechanism = mechanism;
        this.user = user;
        this.password = password.toCharArray();
    }

    @Override
    public CompletableFuture<Void> logIn(KafkaChannel channel) {
        SaslClient client;
        try {
            client = new ScramSaslClient(mechanism, this::answer);
        } catch (NoSuchAlgorithmException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the JDK lacks "
                    + mechanism.hashAlgorithm(), e));
        }
        return channel.send(new SaslHandshakeRequestData().setMechanism(mechanism.mechanismName()), HANDSHAKE_VERSION)
                .thenCompose(response -> {
                    Errors error = Errors.forCode(((SaslHandshakeResponseData) response).errorCode());
                    if (error != Errors.NONE) {
                        throw new SaslAuthenticationException(channel.address() + " refused "
                                + mechanism.mechanismName() + ": " + error.message());
                    }
                    return step(channel, client, evaluate(client, new byte[0]));
                });
    }

    private CompletableFuture<Void> step(KafkaChannel channel, SaslClient client, byte[] token) {
        return channel.send(new SaslAuthenticateRequestData().setAuthBytes(token), AUTHENTICATE_VERSION)
                .thenCompose(message -> {
                    SaslAuthenticateResponseData response = (SaslAuthenticateResponseData) message;
                    if (response.errorCode() != Errors.NONE.code()) {
                        throw new SaslAuthenticationException(channel.address() + " refused the login of " + user
                                + ": " + response.errorMessage());
                    }
                    byte[] next = evaluate(client, response.authBytes());
                    return client.isComplete() ? CompletableFuture.completedFuture(null) : step(channel, client, next);
                });
    }

    private static byte[] evaluate(SaslClient client, byte[] challenge) {
        try {
            return client.evaluateChallenge(challenge);
        } catch (SaslException e) {
            throw new SaslAuthenticationException("SCRAM exchange failed: " + e.getMessage(), e);
        }
    }

    private void answer(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(user);
            } else if (callback instanceof PasswordCallback secret) {
                secret.setPassword(password);
            } else if (!(callback instanceof ScramExtensionsCallback)) {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }
}
