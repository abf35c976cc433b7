package io.sluice.protocol.net;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.sluice.protocol.codec.InvalidFrameException;
import io.sluice.protocol.codec.RequestEncoder;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.codec.ResponseDecoder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * One client connection to a Kafka-protocol server (a broker or the coordinator). Requests are pipelined; responses
 * arrive in request order and complete the futures {@link #send} returned. When the connection fails every pending
 * request fails with {@link DisconnectException}, and a request that finds it closed fails with
 * {@link RequestNotSentException}; callers open a new channel. A request not answered within its
 * {@link RequestDeadlines deadline} closes the connection, as Kafka's clients do: a peer that vanished without a reset
 * is noticed then, not at the next connect.
 */
public final class KafkaChannel implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaChannel.class);
    private static final int MAX_RESPONSE_SIZE = Integer.MAX_VALUE;
    private static final long DEADLINE_CHECK_MS = 1_000;

    private final String clientId;
    private final String address;
    private final NetSocket socket;
    private final Context context;
    private final ArrayDeque<Expected> expected = new ArrayDeque<>();
    private final RequestDeadlines deadlines;
    private final long deadlineCheck;
    private int nextCorrelationId;
    private volatile boolean open = true;

    private record Expected(int correlationId, short apiKey, short version, long deadlineNanos,
            CompletableFuture<ApiMessage> response) {
    }

    private KafkaChannel(String clientId, String address, NetSocket socket, RequestDeadlines deadlines, Vertx vertx,
            Context context) {
        this.clientId = clientId;
        this.deadlines = deadlines;
        this.address = address;
        this.socket = socket;
        this.context = context;
        FrameReader reader = new FrameReader(MAX_RESPONSE_SIZE, this::onResponse);
        // Netty's buffers as read, cut in place and released: socket.handler would first copy every read into a new
        // heap buffer (Vert.x's safeBuffer), and the leaders' fetch answers are most of the bytes a gateway reads: a
        // gateway reading 1M records of 100 B ran 1-2 young collections instead of 3-4.
        // This socket is never paused, so nothing needs Vert.x's queue of reads that the handler goes through.
        ((NetSocketInternal) socket).messageHandler(message -> {
            if (!(message instanceof ByteBuf data)) {
                ReferenceCountUtil.release(message);
                return;
            }
            try {
                reader.feed(Buffer.buffer(data));
            } catch (RuntimeException e) {
                LOG.warnf("bad response from %s: %s", address, e.getMessage());
                socket.close();
            } finally {
                data.release();
            }
        });
        socket.closeHandler(v -> failAll(new DisconnectException("connection to " + address + " closed")));
        socket.exceptionHandler(e -> LOG.debugf("connection to %s failed: %s", address, e.getMessage()));
        deadlineCheck = vertx.setPeriodic(Math.min(DEADLINE_CHECK_MS, deadlines.base().toMillis()),
                id -> closeIfOverdue());
    }

    /** Connects on a fresh event-loop context of {@code vertx}, with Kafka's request deadlines. */
    public static Future<KafkaChannel> connect(Vertx vertx, String clientId, String host, int port) {
        return connect(vertx, clientId, host, port, RequestDeadlines.KAFKA_DEFAULT);
    }

    public static Future<KafkaChannel> connect(Vertx vertx, String clientId, String host, int port,
            RequestDeadlines deadlines) {
        return connect(vertx, clientId, host, port, deadlines, ChannelLogin.NONE);
    }

    /** Connects, then logs in; the channel is handed out only once the server has accepted the login. */
    public static Future<KafkaChannel> connect(Vertx vertx, String clientId, String host, int port,
            RequestDeadlines deadlines, ChannelLogin login) {
        NetClient client = vertx.createNetClient(new NetClientOptions()
                .setTcpNoDelay(true)
                .setConnectTimeout(5_000));
        return client.connect(port, host)
                .map(socket -> new KafkaChannel(clientId, host + ":" + port, socket, deadlines, vertx,
                        Vertx.currentContext()))
                .compose(channel -> Future.fromCompletionStage(login.logIn(channel)).transform(loggedIn -> {
                    if (loggedIn.failed()) {
                        channel.close();
                        return Future.failedFuture(loggedIn.cause());
                    }
                    return Future.succeededFuture(channel);
                }));
    }

    public String address() {
        return address;
    }

    public boolean isOpen() {
        return open;
    }

    /**
     * Sends a request; the future completes with the response body. With {@code expectResponse} false (acks=0 produce)
     * it completes with null once the request is written.
     */
    public CompletableFuture<ApiMessage> send(ApiMessage request, short version, boolean expectResponse) {
        return send(request, null, version, expectResponse);
    }

    /**
     * {@link #send(ApiMessage, short, boolean)}, the body's bytes being {@code encodedBody} when not null: a request
     * passed on as a client encoded it ({@link RequestFrame#encodedBody}) goes out without being encoded again.
     */
    public CompletableFuture<ApiMessage> send(ApiMessage request, ByteBuffer encodedBody, short version,
            boolean expectResponse) {
        CompletableFuture<ApiMessage> response = new CompletableFuture<>();
        context.runOnContext(v -> write(request, encodedBody, version, expectResponse, response));
        return response;
    }

    public CompletableFuture<ApiMessage> send(ApiMessage request, short version) {
        return send(request, version, true);
    }

    private void write(ApiMessage request, ByteBuffer encodedBody, short version, boolean expectResponse,
            CompletableFuture<ApiMessage> f) {
        if (!open) {
            f.completeExceptionally(new RequestNotSentException("connection to " + address + " is closed"));
            return;
        }
        int correlationId = nextCorrelationId++;
        ByteBuf frame;
        try {
            frame = encodedBody == null
                    ? RequestEncoder.encode(correlationId, clientId, version, request)
                    : RequestEncoder.encode(correlationId, clientId, version, request.apiKey(), encodedBody);
        } catch (RuntimeException e) {
            // What was decoded but does not encode again came so from a client (tagged fields out of order).
            f.completeExceptionally(new InvalidRequestException("the request does not encode: " + e.getMessage(), e));
            return;
        }
        if (expectResponse) {
            expected.add(new Expected(correlationId, request.apiKey(), version,
                    System.nanoTime() + deadlines.timeout(request).toNanos(), f));
        }
        FrameWriter.write(socket, frame);
        if (!expectResponse) {
            f.complete(null);
        }
    }

    private void onResponse(ByteBuffer frame) {
        Expected next = expected.poll();
        int correlationId = ResponseDecoder.correlationId(frame);
        if (next == null || next.correlationId() != correlationId) {
            throw new InvalidFrameException("unexpected correlation id " + correlationId);
        }
        try {
            next.response().complete(ResponseDecoder.decode(frame, next.apiKey(), next.version()));
        } catch (RuntimeException e) {
            next.response().completeExceptionally(e);
        }
    }

    /** Responses come in order, so the oldest request is the first to be overdue. */
    private void closeIfOverdue() {
        Expected oldest = expected.peek();
        if (oldest != null && System.nanoTime() - oldest.deadlineNanos() > 0) {
            LOG.warnf("%s did not answer %s within its deadline; closing the connection", address,
                    ApiKeys.forId(oldest.apiKey()));
            failAll(new TimeoutException("no answer from " + address + " within the request deadline"));
            socket.close();
        }
    }

    private void failAll(RuntimeException cause) {
        open = false;
        context.owner().cancelTimer(deadlineCheck);
        Expected next;
        while ((next = expected.poll()) != null) {
            next.response().completeExceptionally(cause);
        }
    }

    /**
     * Sends on a channel that may still be connecting, after every request handed to the same connection before it:
     * requests waiting on one future would otherwise go out in no particular order. Returns the future to hand the
     * next request to; {@code answer} completes with the response.
     */
    public static CompletableFuture<KafkaChannel> sendWhenConnected(CompletableFuture<KafkaChannel> connection,
            ApiMessage request, ByteBuffer encodedBody, short version, boolean expectResponse,
            CompletableFuture<ApiMessage> answer) {
        CompletableFuture<KafkaChannel> handedOver = connection.thenApply(channel -> {
            channel.send(request, encodedBody, version, expectResponse).whenComplete((response, error) -> {
                if (error != null) {
                    answer.completeExceptionally(error);
                } else {
                    answer.complete(response);
                }
            });
            return channel;
        });
        handedOver.exceptionally(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            answer.completeExceptionally(new RequestNotSentException("no connection: " + cause.getMessage(), cause));
            return null;
        });
        return handedOver;
    }

    @Override
    public void close() {
        open = false;
        context.owner().cancelTimer(deadlineCheck);
        socket.close();
    }
}
