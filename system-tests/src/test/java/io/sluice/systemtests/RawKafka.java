package io.sluice.systemtests;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;

import io.sluice.protocol.security.MemberCredential;

/**
 * A bare Kafka-protocol connection for tests that must send what no well-behaved client sends: corrupted batches,
 * exact retries, hand-made frames. Written against kafka-clients' message classes only.
 */
final class RawKafka implements AutoCloseable {

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private int correlationId;

    RawKafka(String bootstrap) throws IOException {
        this(connect(bootstrap, SocketFactory.getDefault()));
    }

    private RawKafka(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(15_000);
        // As Kafka's clients: a frame goes out whole and at once, not its size first and then, once the server's
        // delayed acknowledgement of that came (Nagle), its body 40 ms later.
        socket.setTcpNoDelay(true);
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        in = new DataInputStream(socket.getInputStream());
    }

    /** A connection over TLS, trusting the certificates the given CA (a PEM file) signed. */
    static RawKafka overTls(String bootstrap, Path caCertificate) throws IOException {
        try (InputStream pem = Files.newInputStream(caCertificate)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return new RawKafka(connect(bootstrap, tls.getSocketFactory()));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + caCertificate, e);
        }
    }

    private static Socket connect(String bootstrap, SocketFactory sockets) throws IOException {
        String[] hostPort = bootstrap.split(":");
        return sockets.createSocket(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    /**
     * Logs in as a member of the cluster, as brokers and coordinators require of every connection: SCRAM-SHA-512
     * with the member secret, through Kafka's own client mechanism.
     */
    RawKafka logInAsMember(String memberSecret) throws IOException {
        SaslHandshakeResponseData handshake = (SaslHandshakeResponseData) call(
                new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-512"), (short) 1);
        if (handshake.errorCode() != 0) {
            throw new IOException("SCRAM-SHA-512 refused: " + Errors.forCode(handshake.errorCode()));
        }
        try {
            SaslClient scram = new ScramSaslClient(ScramMechanism.SCRAM_SHA_512, callbacks -> {
                for (Callback callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(MemberCredential.USER);
                    } else if (callback instanceof PasswordCallback password) {
                        password.setPassword(memberSecret.toCharArray());
                    }
                }
            });
            byte[] token = scram.evaluateChallenge(new byte[0]);
            while (!scram.isComplete()) {
                SaslAuthenticateResponseData answer = (SaslAuthenticateResponseData) call(
                        new SaslAuthenticateRequestData().setAuthBytes(token), (short) 2);
                if (answer.errorCode() != 0) {
                    throw new IOException("member login refused: " + answer.errorMessage());
                }
                token = scram.evaluateChallenge(answer.authBytes());
            }
        } catch (GeneralSecurityException | SaslException e) {
            throw new IOException("SCRAM exchange failed", e);
        }
        return this;
    }

    /** How long a read waits before it fails with a SocketTimeoutException. */
    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Sends a request and reads its response. */
    ApiMessage call(ApiMessage request, short version) throws IOException {
        send(request, version);
        return receive(request.apiKey(), version);
    }

    void send(ApiMessage request, short version) throws IOException {
        ApiMessageType type = ApiMessageType.fromApiKey(request.apiKey());
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(request.apiKey())
                .setRequestApiVersion(version)
                .setCorrelationId(++correlationId)
                .setClientId("raw-test");
        short headerVersion = type.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + request.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        ByteBufferAccessor writer = new ByteBufferAccessor(buffer);
        header.write(writer, cache, headerVersion);
        request.write(writer, cache, version);
        writeFrame(buffer.array());
    }

    ApiMessage receive(short apiKey, short version) throws IOException {
        ApiMessageType type = ApiMessageType.fromApiKey(apiKey);
        ByteBuffer frame = ByteBuffer.wrap(readFrame());
        ByteBufferAccessor reader = new ByteBufferAccessor(frame);
        ResponseHeaderData header = new ResponseHeaderData(reader, type.responseHeaderVersion(version));
        if (header.correlationId() != correlationId) {
            throw new IOException("correlation id " + header.correlationId() + ", expected " + correlationId);
        }
        ApiMessage response = type.newResponse();
        response.read(reader, version);
        return response;
    }

    /** Writes raw bytes behind a size prefix of our choosing. */
    void writeFrame(int declaredSize, byte[] bytes) throws IOException {
        out.writeInt(declaredSize);
        out.write(bytes);
        out.flush();
    }

    void writeFrame(byte[] bytes) throws IOException {
        writeFrame(bytes.length, bytes);
    }

    byte[] readFrame() throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return frame;
    }

    /** True once the server has closed the connection; false if it is still open after the socket timeout. */
    boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
