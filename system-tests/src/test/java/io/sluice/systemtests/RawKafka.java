package io.sluice.systemtests;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

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
        String[] hostPort = bootstrap.split(":");
        socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
        socket.setSoTimeout(15_000);
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
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
