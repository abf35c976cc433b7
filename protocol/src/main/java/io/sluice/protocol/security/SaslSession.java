package io.sluice.protocol.security;

import java.security.NoSuchAlgorithmException;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * One connection's SASL, as Kafka's server runs it: a SaslHandshake picks a mechanism, SaslAuthenticate requests
 * carry its tokens until it completes, and nothing else is served before. A session may last at most the listener's
 * longest session; the client authenticates again on the same connection before then (KIP-368), as the same
 * principal with the same mechanism. Any failure is answered, then the connection closes.
 *
 * <p>
 * PLAIN is Kafka's own server-side mechanism and SCRAM is {@link ScramExchange}; PLAIN checks the password against the user's
 * SCRAM credential, so one credential store serves every mechanism. Calls are made one at a time, possibly from
 * different threads, so every method is synchronized.
 */
public final class SaslSession {

    private final SaslSettings settings;
    private SaslServer exchange;
    private String mechanism;
    private KafkaPrincipal principal;
    private String principalMechanism;
    private long expiresAtMillis = Long.MAX_VALUE;
    private String failure;
    private int completions;

    public SaslSession(SaslSettings settings) {
        this.settings = settings;
    }

    /** Whether the client has authenticated, and may be served while its session lasts. */
    public synchronized boolean authenticated() {
        return principal != null;
    }

    public synchronized KafkaPrincipal principal() {
        return principal;
    }

    public synchronized boolean expired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    /** How many authentications have completed on this connection, the first and every one again. */
    public synchronized int completions() {
        return completions;
    }

    /** Why the connection must close once its last answer is written; null while it may go on. */
    public synchronized String failure() {
        return failure;
    }

    public synchronized SaslHandshakeResponseData handshake(SaslHandshakeRequestData request) {
        SaslHandshakeResponseData response = new SaslHandshakeResponseData();
        response.mechanisms().addAll(settings.mechanisms());
        String asked = request.mechanism();
        if (!settings.mechanisms().contains(asked)) {
            failure = "SASL mechanism " + asked + " is not enabled";
            return response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
        }
        if (exchange != null || (principal != null && !asked.equals(principalMechanism))) {
            failure = exchange != null ? "a second SaslHandshake during authentication"
                    : "re-authentication with " + asked + " after " + principalMechanism;
            return response.setErrorCode(Errors.ILLEGAL_SASL_STATE.code());
        }
        mechanism = asked;
        exchange = newExchange(asked);
        return response.setErrorCode(Errors.NONE.code());
    }

    /** Takes the client's next token; PLAIN derives a key from the password, so call it off the event loop. */
    public synchronized SaslAuthenticateResponseData authenticate(SaslAuthenticateRequestData request, short version,
            long nowMillis) {
        SaslAuthenticateResponseData response = new SaslAuthenticateResponseData().setAuthBytes(new byte[0]);
        if (exchange == null) {
            failure = "SaslAuthenticate before SaslHandshake";
            return response.setErrorCode(Errors.ILLEGAL_SASL_STATE.code()).setErrorMessage(
                    "SaslAuthenticate must follow a SaslHandshake");
        }
        try {
            byte[] challenge = exchange.evaluateResponse(request.authBytes());
            response.setAuthBytes(challenge == null ? new byte[0] : challenge);
            if (exchange.isComplete()) {
                complete(response, version, nowMillis);
            }
            return response;
        } catch (SaslAuthenticationException e) {
            return fail(response, e.getMessage());
        } catch (SaslException | RuntimeException e) {
            return fail(response, "Authentication failed during authentication due to invalid credentials with SASL "
                    + "mechanism " + mechanism);
        }
    }

    private void complete(SaslAuthenticateResponseData response, short version, long nowMillis) {
        KafkaPrincipal authenticated = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, exchange.getAuthorizationID());
        dispose();
        if (principal != null && !principal.equals(authenticated)) {
            fail(response, "Cannot change principals during re-authentication from " + principal + ": "
                    + authenticated);
            return;
        }
        principal = authenticated;
        principalMechanism = mechanism;
        completions++;
        long lifetime = settings.maxSession().toMillis();
        if (lifetime > 0) {
            expiresAtMillis = nowMillis + lifetime;
            if (version >= 1) {
                response.setSessionLifetimeMs(lifetime);
            }
        }
    }

    private SaslAuthenticateResponseData fail(SaslAuthenticateResponseData response, String message) {
        failure = message;
        dispose();
        return response.setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code()).setErrorMessage(message)
                .setAuthBytes(new byte[0]).setSessionLifetimeMs(0);
    }

    private void dispose() {
        if (exchange == null) {
            return;
        }
        try {
            exchange.dispose();
        } catch (SaslException e) {
            // nothing is held that outlives the exchange
        }
        exchange = null;
    }

    private SaslServer newExchange(String asked) {
        if (asked.equals(SaslSettings.PLAIN)) {
            return new PlainSaslServer(this::checkPassword);
        }
        ScramMechanism scram = ScramMechanism.forMechanismName(asked);
        try {
            return new ScramExchange(scram, user -> settings.credentials().find(user, scram));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + asked + "'s hash", e);
        }
    }

    private void checkPassword(Callback[] callbacks) throws UnsupportedCallbackException {
        String user = null;
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                user = name.getDefaultName();
            } else if (callback instanceof PlainAuthenticateCallback plain) {
                plain.authenticated(user != null && matches(user, new String(plain.password())));
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    /** Whether the password derives the user's stored key, under the strongest SCRAM mechanism it has. */
    private boolean matches(String user, String password) {
        for (ScramMechanism scram : new ScramMechanism[] { ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256 }) {
            ScramCredential credential = settings.credentials().find(user, scram);
            if (credential != null) {
                return ScramPasswords.verify(scram, credential, password);
            }
        }
        return false;
    }
}
