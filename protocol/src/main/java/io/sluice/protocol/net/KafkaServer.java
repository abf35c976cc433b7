package io.sluice.protocol.net;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.jboss.logging.Logger;

import io.sluice.protocol.codec.InvalidFrameException;
import io.sluice.protocol.codec.RequestDecoder;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.codec.ResponseEncoder;
import io.sluice.protocol.codec.SupportedApis;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * A Kafka-protocol listener on Vert.x. It frames and decodes requests, answers ApiVersions, refuses what the service
 * does not serve by closing the connection (as Kafka does), and writes responses in request order however the handler
 * completes them.
 */
public final class KafkaServer {

    private static final Logger LOG = Logger.getLogger(KafkaServer.class);
    /** Requests read ahead of their responses before the socket stops being read. */
    private static final int MAX_IN_FLIGHT = 128;

    private final String name;
    private final SupportedApis apis;
    private final RequestHandler handler;
    private final int maxRequestSize;
    private final RequestMetrics metrics;
    private NetServer server;

    public KafkaServer(String name, SupportedApis apis, RequestHandler handler, int maxRequestSize,
            RequestMetrics metrics) {
        this.name = name;
        this.apis = apis;
        this.handler = handler;
        this.maxRequestSize = maxRequestSize;
        this.metrics = metrics;
    }

    public KafkaServer(String name, SupportedApis apis, RequestHandler handler, int maxRequestSize) {
        this(name, apis, handler, maxRequestSize, RequestMetrics.NONE);
    }

    public Future<KafkaServer> listen(Vertx vertx, String host, int port) {
        server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setReuseAddress(true));
        server.connectHandler(socket -> new Connection(socket, Vertx.currentContext()).start());
        return server.listen(port, host).map(s -> {
            LOG.infof("%s Kafka listener on %s:%d", name, host, s.actualPort());
            return this;
        });
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private record Pending(RequestFrame request, CompletableFuture<ApiMessage> response, long startNanos) {
    }

    /** One client connection; all its state is touched on its event loop only. */
    private final class Connection {
        private final NetSocket socket;
        private final Context context;
        private final ClientConnection client;
        private final FrameReader reader;
        private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
        private boolean paused;
        private boolean closed;

        Connection(NetSocket socket, Context context) {
            this.socket = socket;
            this.context = context;
            this.client = new ClientConnection(socket.remoteAddress().toString());
            this.reader = new FrameReader(maxRequestSize, this::onFrame);
        }

        void start() {
            socket.handler(data -> {
                try {
                    reader.feed(data);
                } catch (InvalidFrameException e) {
                    closeOnBadInput(e);
                }
            });
            socket.closeHandler(v -> {
                closed = true;
                client.closeAttachments();
            });
            socket.exceptionHandler(e -> LOG.debugf("%s connection from %s failed: %s", name, client.remoteAddress(),
                    e.getMessage()));
        }

        private void onFrame(ByteBuffer frame) {
            if (closed) {
                return;
            }
            long start = System.nanoTime();
            RequestFrame request = RequestDecoder.decode(frame);
            CompletableFuture<ApiMessage> response;
            if (request.api() == ApiKeys.API_VERSIONS) {
                response = CompletableFuture.completedFuture(apis.apiVersionsResponse(request));
            } else if (!apis.supports(request.apiKey(), request.apiVersion())) {
                throw new InvalidFrameException(request.api() + " v" + request.apiVersion() + " is not served here");
            } else {
                response = dispatch(request);
            }
            inFlight.add(new Pending(request, response, start));
            if (inFlight.size() >= MAX_IN_FLIGHT && !paused) {
                paused = true;
                socket.pause();
            }
            response.whenComplete((r, e) -> {
                if (Vertx.currentContext() == context) {
                    drain();
                } else {
                    context.runOnContext(v -> drain());
                }
            });
        }

        private CompletableFuture<ApiMessage> dispatch(RequestFrame request) {
            try {
                CompletionStage<ApiMessage> stage = handler.handle(request, client);
                return stage.toCompletableFuture();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        private void drain() {
            while (!inFlight.isEmpty() && inFlight.peek().response().isDone()) {
                Pending done = inFlight.poll();
                if (closed) {
                    continue;
                }
                ApiMessage body;
                try {
                    body = done.response().join();
                    metrics.served(done.request().api(), System.nanoTime() - done.startNanos(), false);
                } catch (RuntimeException e) {
                    metrics.served(done.request().api(), System.nanoTime() - done.startNanos(), true);
                    LOG.errorf(e, "%s failed to serve %s; closing the connection", name, done.request());
                    closed = true;
                    socket.close();
                    continue;
                }
                if (body == null) {
                    continue;
                }
                try {
                    socket.write(Buffer.buffer(encode(done.request(), body)));
                } catch (RuntimeException e) {
                    LOG.errorf(e, "%s cannot encode the answer to %s; closing the connection", name, done.request());
                    closed = true;
                    socket.close();
                }
            }
            if (paused && inFlight.size() < MAX_IN_FLIGHT / 2) {
                paused = false;
                socket.resume();
            }
        }

        private io.netty.buffer.ByteBuf encode(RequestFrame request, ApiMessage body) {
            short version = request.api() == ApiKeys.API_VERSIONS
                    ? apis.apiVersionsResponseVersion(request)
                    : request.apiVersion();
            return io.netty.buffer.Unpooled.wrappedBuffer(ResponseEncoder.encode(request, version, body));
        }

        private void closeOnBadInput(InvalidFrameException e) {
            LOG.warnf("%s closing connection from %s: %s", name, client.remoteAddress(), e.getMessage());
            metrics.refused(e.getMessage());
            closed = true;
            socket.close();
        }
    }
}
