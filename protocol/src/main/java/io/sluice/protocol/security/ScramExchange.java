package io.sluice.protocol.security;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Function;

import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;

/**
 * The server side of one SCRAM exchange (RFC 5802, 7677) in Kafka's message formats. It differs from Kafka 4's own
 * server in one way: librdkafka before 2.6.1 (the kcat and confluent-kafka of Debian 12 and Ubuntu 24.04) puts its
 * own nonce once more in front of the combined nonce of its final message, and signs that. Kafka 3.8.1 to 3.9 let it
 * in and Kafka 4 refuses it, so those clients cannot log in to Kafka 4. The nonce is still this exchange's: it ends with
 * the fresh server nonce, and the client's proof covers it, so it is as safe against replay and is accepted here.
 */
final class ScramExchange implements SaslServer {

    private final ScramMechanism mechanism;
    private final ScramFormatter formatter;
    /** A user's credential for this mechanism; null for an unknown user. */
    private final Function<String, ScramCredential> credentials;
    private ClientFirstMessage clientFirst;
    private ServerFirstMessage serverFirst;
    private ScramCredential credential;
    private String user;
    private boolean complete;

    ScramExchange(ScramMechanism mechanism, Function<String, ScramCredential> credentials) throws NoSuchAlgorithmException {
        this.mechanism = mechanism;
        this.formatter = new ScramFormatter(mechanism);
        this.credentials = credentials;
    }

    @Override
    public byte[] evaluateResponse(byte[] response) throws SaslException {
        if (complete) {
            throw new IllegalSaslStateException("the SCRAM exchange has already completed");
        }
        return clientFirst == null ? serverFirst(new ClientFirstMessage(response))
                : serverFinal(new ClientFinalMessage(response));
    }

    private byte[] serverFirst(ClientFirstMessage message) throws SaslException {
        if (message.extensions().tokenAuthenticated()) {
            throw new SaslException("delegation tokens are not issued");
        }
        String name;
        try {
            name = ScramFormatter.username(message.saslName());
        } catch (IllegalArgumentException e) {
            throw new SaslException("invalid user name", e);
        }
        if (!message.authorizationId().isEmpty() && !message.authorizationId().equals(name)) {
            throw new SaslAuthenticationException(
                    "Authentication failed: Client requested an authorization id that is different from username");
        }
        ScramCredential found = credentials.apply(name);
        if (found == null || found.iterations() < mechanism.minIterations()) {
            throw new SaslException("no usable credential");
        }
        clientFirst = message;
        credential = found;
        user = name;
        serverFirst = new ServerFirstMessage(message.nonce(), formatter.secureRandomString(), found.salt(),
                found.iterations());
        return serverFirst.toBytes();
    }

    private byte[] serverFinal(ClientFinalMessage message) throws SaslException {
        String nonce = message.nonce();
        if (!nonce.equals(serverFirst.nonce()) && !nonce.equals(clientFirst.nonce() + serverFirst.nonce())) {
            throw new SaslException("the final message's nonce is not this exchange's");
        }
        try {
            byte[] storedKey = credential.storedKey();
            byte[] signature = formatter.clientSignature(storedKey, clientFirst, serverFirst, message);
            if (!MessageDigest.isEqual(formatter.storedKey(signature, message.proof()), storedKey)) {
                throw new SaslException("invalid client proof");
            }
            byte[] serverSignature = formatter.serverSignature(credential.serverKey(), clientFirst, serverFirst,
                    message);
            complete = true;
            return new ServerFinalMessage(null, serverSignature).toBytes();
        } catch (InvalidKeyException e) {
            throw new SaslException("invalid key", e);
        } finally {
            credential = null;
        }
    }

    @Override
    public String getMechanismName() {
        return mechanism.mechanismName();
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public String getAuthorizationID() {
        if (!complete) {
            throw new IllegalStateException("the SCRAM exchange has not completed");
        }
        return user;
    }

    @Override
    public byte[] unwrap(byte[] incoming, int offset, int len) {
        throw new IllegalStateException("SCRAM gives neither integrity nor privacy");
    }

    @Override
    public byte[] wrap(byte[] outgoing, int offset, int len) {
        throw new IllegalStateException("SCRAM gives neither integrity nor privacy");
    }

    @Override
    public Object getNegotiatedProperty(String propName) {
        return null;
    }

    @Override
    public void dispose() {
        credential = null;
    }
}
