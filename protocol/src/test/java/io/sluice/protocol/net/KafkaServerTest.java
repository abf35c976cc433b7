package io.sluice.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBufUtil;
import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.RequestEncoder;
import io.sluice.protocol.codec.ResponseDecoder;
import io.sluice.protocol.codec.SupportedApis;
import io.vertx.core.Vertx;

class KafkaServerTest {

    private static final SupportedApis APIS = new SupportedApis(List.of(ApiVersionRange.of(ApiKeys.METADATA, 0, 12)));

    /** Room for one request with a long topic name, and many short ones. */
    private static final long HELD_BYTES = 4096;

    private Vertx vertx;
    private KafkaServer server;
    /** Answers to requests whose first topic does not start with "now": the test completes them. */
    private final List<CompletableFuture<ApiMessage>> pending = new ArrayList<>();
    /** The tags of the requests whose answers were written, or whose connections closed without them. */
    private final List<String> written = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = new KafkaServer("test", APIS, (request, connection) -> {
            MetadataRequestData body = (MetadataRequestData) request.body();
            String tag = body.topics().isEmpty() ? "" : body.topics().get(0).name();
            connection.afterAnswerWritten(request, () -> written.add(tag));
            if (tag.startsWith("throw")) {
                throw new IllegalStateException("a bug in the handler");
            }
            if (tag.startsWith("invalid")) {
                return CompletableFuture.failedFuture(new InvalidRequestException("bad " + tag));
            }
            if (tag.startsWith("now")) {
                return CompletableFuture.completedFuture(new MetadataResponseData().setClusterId(tag));
            }
            CompletableFuture<ApiMessage> later = new CompletableFuture<>();
            synchronized (pending) {
                pending.add(later);
            }
            return later;
        }, new RequestLimits(1024 * 1024, HELD_BYTES));
        server.listen(vertx, "127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static MetadataRequestData metadata(String tag) {
        MetadataRequestData body = new MetadataRequestData();
        body.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(tag));
        return body;
    }

    private KafkaChannel channel() {
        return KafkaChannel.connect(vertx, "test", "127.0.0.1", server.port()).toCompletionStage()
                .toCompletableFuture().join();
    }

    @Test
    void responsesLeaveInRequestOrderWhateverOrderTheyComplete() throws Exception {
        KafkaChannel channel = channel();
        CompletableFuture<ApiMessage> first = channel.send(metadata("slow"), (short) 12);
        CompletableFuture<ApiMessage> second = channel.send(metadata("now-2"), (short) 12);

        Thread.sleep(200);
        assertThat(second).isNotDone();
        synchronized (pending) {
            pending.get(0).complete(new MetadataResponseData().setClusterId("slow"));
        }

        assertThat(((MetadataResponseData) first.get(5, TimeUnit.SECONDS)).clusterId()).isEqualTo("slow");
        assertThat(((MetadataResponseData) second.get(5, TimeUnit.SECONDS)).clusterId()).isEqualTo("now-2");
    }

    /** An answer written in several pieces arrives whole, and the answer behind it after it. */
    @Test
    void anAnswerLargerThanAWritePieceArrivesWholeAndInOrder() throws Exception {
        KafkaChannel channel = channel();
        CompletableFuture<ApiMessage> large = channel.send(metadata("large"), (short) 12);
        CompletableFuture<ApiMessage> next = channel.send(metadata("now-next"), (short) 12);
        MetadataResponseData answer = new MetadataResponseData().setClusterId("large");
        for (int i = 0; i < 30_000; i++) {
            answer.topics().add(new MetadataResponseData.MetadataResponseTopic().setName("topic-" + i + "-" + "x".repeat(80)));
        }
        assertThat(answer.size(new ObjectSerializationCache(), (short) 12)).isGreaterThan(2 * FrameWriter.PIECE_BYTES);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            synchronized (pending) {
                return pending.size() == 1;
            }
        });
        synchronized (pending) {
            pending.get(0).complete(answer);
        }

        MetadataResponseData received = (MetadataResponseData) large.get(10, TimeUnit.SECONDS);
        assertThat(received).isEqualTo(answer);
        assertThat(((MetadataResponseData) next.get(5, TimeUnit.SECONDS)).clusterId()).isEqualTo("now-next");
    }

    /** What an answer holds (a fetch's bytes) is freed once it is written, or once its connection closed without it. */
    @Test
    void actionsAfterAnAnswerRunOnceItIsWrittenOrItsConnectionClosed() throws Exception {
        KafkaChannel channel = channel();
        channel.send(metadata("now-1"), (short) 12).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> written.contains("now-1"));

        channel.send(metadata("slow"), (short) 12);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            synchronized (pending) {
                return pending.size() == 1;
            }
        });
        Thread.sleep(200);
        assertThat(written).containsExactly("now-1");
        channel.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> written.contains("slow"));
    }

    @Test
    void aRequestThatDoesNotFitWaitsUntilTheHeldOnesAreAnswered() throws Exception {
        String longName = "x".repeat(3000);
        CompletableFuture<ApiMessage> first = channel().send(metadata("slow-" + longName), (short) 12);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            synchronized (pending) {
                return pending.size() == 1;
            }
        });
        assertThat(server.heldBytes()).isGreaterThan(3000);

        CompletableFuture<ApiMessage> second = channel().send(metadata("now-" + longName), (short) 12);
        Thread.sleep(300);
        assertThat(second).isNotDone();
        assertThat(((MetadataResponseData) channel().send(metadata("now-short"), (short) 12).get(5, TimeUnit.SECONDS))
                .clusterId()).as("a request that fits is read meanwhile").isEqualTo("now-short");

        synchronized (pending) {
            pending.get(0).complete(new MetadataResponseData().setClusterId("slow"));
        }
        assertThat(((MetadataResponseData) second.get(5, TimeUnit.SECONDS)).clusterId()).startsWith("now-xxx");
        assertThat(first).isDone();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.heldBytes() == 0);
    }

    @Test
    void garbageClosesThatConnectionOnlyAndTheServerKeepsServing() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(6);
            out.write(new byte[] { 0x7f, 0x7f, 0, 0, 0, 1 });
            out.flush();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        MetadataResponseData answer = (MetadataResponseData) channel().send(metadata("now-ok"), (short) 12)
                .get(5, TimeUnit.SECONDS);
        assertThat(answer.clusterId()).isEqualTo("now-ok");
    }

    @Test
    void oversizedAndNegativeFramesCloseTheConnection() throws Exception {
        for (int size : new int[] { -5, 2 * 1024 * 1024 }) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                new DataOutputStream(socket.getOutputStream()).writeInt(size);
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void apiVersionsTooNewIsAnsweredInVersionZero() throws IOException {
        ByteBuffer request = frame(5, "future", (short) 3,
                new org.apache.kafka.common.message.ApiVersionsRequestData()
                        .setClientSoftwareName("f").setClientSoftwareVersion("9"));
        request.putShort(6, (short) 42);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(request.array(), 0, request.limit());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            ApiVersionsResponseData answer = (ApiVersionsResponseData) ResponseDecoder.decode(
                    ByteBuffer.wrap(frame), ApiKeys.API_VERSIONS.id, (short) 0);
            assertThat(answer.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(answer.apiKeys().find(ApiKeys.METADATA.id).maxVersion()).isEqualTo((short) 12);
        }
    }

    @Test
    void unservedApiClosesTheConnection() throws Exception {
        ByteBuffer request = frame(5, "c", (short) 3,
                new org.apache.kafka.common.message.FindCoordinatorRequestData().setKey("g"));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(request.array(), 0, request.limit());
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aFailedRequestIsAnsweredWithItsErrorAndTheConnectionCarriesOn() throws Exception {
        KafkaChannel channel = channel();
        CompletableFuture<ApiMessage> thrown = channel.send(metadata("throw"), (short) 12);
        CompletableFuture<ApiMessage> invalid = channel.send(metadata("invalid-1"), (short) 12);
        CompletableFuture<ApiMessage> after = channel.send(metadata("now-after"), (short) 12);

        assertThat(topicError(thrown.get(5, TimeUnit.SECONDS))).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(topicError(invalid.get(5, TimeUnit.SECONDS))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(((MetadataResponseData) after.get(5, TimeUnit.SECONDS)).clusterId()).isEqualTo("now-after");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void requestsBeforeABadFrameAreAnsweredBeforeTheConnectionCloses() throws Exception {
        ByteBuffer slow = frame(1, "c", (short) 12, metadata("slow"));
        ByteBuffer quick = frame(2, "c", (short) 12, metadata("now-2"));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.write(slow.array(), 0, slow.limit());
            out.write(quick.array(), 0, quick.limit());
            out.writeInt(6);
            out.write(new byte[] { 0x7f, 0x7f, 0, 0, 0, 1 });
            out.flush();
            Thread.sleep(200);
            synchronized (pending) {
                assertThat(pending).hasSize(1);
                pending.get(0).complete(new MetadataResponseData().setClusterId("slow"));
            }
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(clusterId(in)).isEqualTo("slow");
            assertThat(clusterId(in)).isEqualTo("now-2");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    private static String clusterId(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return ((MetadataResponseData) ResponseDecoder.decode(ByteBuffer.wrap(frame), ApiKeys.METADATA.id,
                (short) 12)).clusterId();
    }

    private static Errors topicError(ApiMessage answer) {
        return Errors.forCode(((MetadataResponseData) answer).topics().iterator().next().errorCode());
    }

    private static ByteBuffer frame(int correlationId, String clientId, short version, ApiMessage body) {
        return ByteBuffer.wrap(ByteBufUtil.getBytes(RequestEncoder.encode(correlationId, clientId, version, body)));
    }
}
