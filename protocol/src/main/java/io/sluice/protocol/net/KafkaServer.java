package io.sluice.protocol.net;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.jboss.logging.Logger;

import io.sluice.protocol.codec.ErrorResponses;
import io.sluice.protocol.codec.InvalidFrameException;
import io.sluice.protocol.codec.RequestDecoder;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.codec.ResponseEncoder;
import io.sluice.protocol.codec.SupportedApis;
import io.sluice.protocol.security.CertificatePrincipal;
import io.sluice.protocol.security.ListenerSecurity;
import io.sluice.protocol.security.SaslSession;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * A Kafka-protocol listener on Vert.x. It frames and decodes requests, answers ApiVersions, refuses what the service
 * does not serve by closing the connection (as Kafka does, after answering what came before), answers a request the
 * handler failed with Kafka's error response, and writes responses in request order however the handler completes
 * them.
 */
public final class KafkaServer {

    private static final Logger LOG = Logger.getLogger(KafkaServer.class);
    /** Requests read ahead of their responses before the socket stops being read. */
    private static final int MAX_IN_FLIGHT = 128;
    /** Bad input from clients and failures to serve are logged at most once in this interval each. */
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    private final String name;
    private final SupportedApis apis;
    private final RequestHandler handler;
    private final RequestLimits limits;
    private final HeldRequests held;
    private final RequestMetrics metrics;
    private final ThrottledLog refusals = new ThrottledLog(LOG, "refused connections", LOG_INTERVAL);
    private final ThrottledLog failures = new ThrottledLog(LOG, "failed requests", LOG_INTERVAL);
    private ListenerSecurity security = ListenerSecurity.PLAINTEXT;
    private NetServer server;
    private CertificateWatch certificates;

    public KafkaServer(String name, SupportedApis apis, RequestHandler handler, RequestLimits limits,
            RequestMetrics metrics) {
        this.name = name;
        this.apis = apis;
        this.handler = handler;
        this.limits = limits;
        this.held = new HeldRequests(limits.maxHeldBytes());
        this.metrics = metrics;
        metrics.holding(held::held);
    }

    public KafkaServer(String name, SupportedApis apis, RequestHandler handler, RequestLimits limits) {
        this(name, apis, handler, limits, RequestMetrics.NONE);
    }

    public Future<KafkaServer> listen(Vertx vertx, String host, int port) {
        return listen(vertx, host, port, ListenerSecurity.PLAINTEXT);
    }

    /** Listens with TLS, SASL or both; a TLS certificate is read again whenever its files change. */
    public Future<KafkaServer> listen(Vertx vertx, String host, int port, ListenerSecurity security) {
        this.security = security;
        NetServerOptions options = new NetServerOptions().setTcpNoDelay(true).setReuseAddress(true);
        if (security.tls() != null) {
            certificates = new CertificateWatch(vertx, security.tls(), name);
            options.setSsl(true).setSslEngineOptions(TlsEngine.options()).setClientAuth(security.tls().clientAuth())
                    .setKeyCertOptions(certificates.keyCertOptions())
                    .setTrustOptions(certificates.trustOptions());
        }
        server = vertx.createNetServer(options);
        server.connectHandler(socket -> new Connection(socket, Vertx.currentContext()).start());
        return server.listen(port, host).map(s -> {
            LOG.infof("%s Kafka listener on %s:%d (%s%s)", name, host, s.actualPort(), security.protocol(),
                    security.tls() == null ? "" : ", " + TlsEngine.NAME);
            if (certificates != null) {
                certificates.start();
            }
            return this;
        });
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> close() {
        if (certificates != null) {
            certificates.close();
        }
        return server == null ? Future.succeededFuture() : server.close();
    }

    /** The request bytes held now by every connection of this listener. */
    public long heldBytes() {
        return held.held();
    }

    /** A client certificate's subject as the principal; anonymous without one. */
    private static KafkaPrincipal certificatePrincipal(NetSocket socket) {
        KafkaPrincipal certified = socket.isSsl() ? CertificatePrincipal.of(socket::peerCertificates) : null;
        return certified != null ? certified : KafkaPrincipal.ANONYMOUS;
    }

    /** @param workNanos the event loop's time on the request until it was handed on */
    private record Pending(RequestFrame request, CompletableFuture<ApiMessage> response, long startNanos, int bytes,
            long workNanos) {
    }

    /** One client connection; all its state is touched on its event loop only. */
    private final class Connection {
        private final NetSocket socket;
        private final Context context;
        private final ClientConnection client;
        private final FrameReader reader;
        /** The client's SASL session, on a SASL listener. */
        private final SaslSession sasl;
        private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
        private boolean paused;
        /** Not read until then (nanoTime), or 0: a quota's throttle. */
        private long mutedUntil;
        /** The next request does not fit in the listener's budget: reading waits until some is released. */
        private boolean waitingForMemory;
        /** The bytes held for the request being read. */
        private int reading;
        /** Bad input was read: what came before it is still answered, then the connection closes. */
        private boolean closing;
        private boolean closed;

        Connection(NetSocket socket, Context context) {
            this.socket = socket;
            this.context = context;
            this.client = new ClientConnection(socket.remoteAddress().toString(),
                    socket.remoteAddress().hostAddress(), certificatePrincipal(socket));
            this.sasl = security.sasl() == null ? null : new SaslSession(security.sasl());
            this.reader = new FrameReader(limits.maxRequestSize(), this::admit, this::onFrame);
            client.mutedBy(ms -> context.runOnContext(v -> mute(ms)));
            client.closedBy(() -> context.runOnContext(v -> socket.close()));
        }

        private void mute(long ms) {
            boolean wasMuted = mutedUntil != 0;
            mutedUntil = Math.max(mutedUntil, System.nanoTime() + ms * 1_000_000);
            if (!wasMuted && !closed) {
                socket.pause();
                context.owner().setTimer(ms, id -> unmute());
            }
        }

        private void unmute() {
            long left = mutedUntil - System.nanoTime();
            if (left > 0) {
                context.owner().setTimer(Math.max(1, left / 1_000_000), id -> unmute());
                return;
            }
            mutedUntil = 0;
            resumeReading();
        }

        /** Reads again unless something else still holds reading back. */
        private void resumeReading() {
            if (!paused && !waitingForMemory && mutedUntil == 0 && !closing && !closed) {
                socket.resume();
            }
        }

        void start() {
            socket.handler(data -> read(() -> reader.feed(data)));
            socket.closeHandler(v -> {
                closed = true;
                releaseHeld();
                client.closeAttachments();
            });
            socket.exceptionHandler(e -> LOG.debugf("%s connection from %s failed: %s", name, client.remoteAddress(),
                    e.getMessage()));
        }

        private void read(Runnable reading) {
            if (closing) {
                return;
            }
            try {
                reading.run();
            } catch (InvalidFrameException e) {
                refuse(e.getMessage());
                drain();
            }
        }

        /** Holds the request's bytes before it is read, once its size is known to be within the limit. */
        private boolean admit(int size, short apiKey) {
            int limit = limits.maxSize(apiKey);
            if (size > limit) {
                throw new InvalidFrameException(
                        "a request of " + size + " bytes (API key " + apiKey + ") is over the limit of " + limit);
            }
            if (closing || closed) {
                return false;
            }
            if (!held.hold(size, () -> context.runOnContext(v -> memoryFreed()))) {
                waitingForMemory = true;
                socket.pause();
                return false;
            }
            reading = size;
            return true;
        }

        private void memoryFreed() {
            if (!waitingForMemory || closing || closed) {
                return;
            }
            waitingForMemory = false;
            resumeReading();
            read(reader::resume);
        }

        private void onFrame(ByteBuffer frame) {
            int bytes = reading;
            reading = 0;
            if (closing || closed) {
                held.release(bytes);
                return;
            }
            long start = System.nanoTime();
            RequestFrame request;
            try {
                request = RequestDecoder.decode(frame);
            } catch (RuntimeException e) {
                held.release(bytes);
                throw e;
            }
            CompletableFuture<ApiMessage> response;
            String refusal;
            if (request.api() == ApiKeys.API_VERSIONS) {
                response = CompletableFuture.completedFuture(apis.apiVersionsResponse(request));
            } else if (!apis.supports(request.apiKey(), request.apiVersion())) {
                held.release(bytes);
                throw new InvalidFrameException(request.api() + " v" + request.apiVersion() + " is not served here");
            } else if (request.api() == ApiKeys.SASL_HANDSHAKE || request.api() == ApiKeys.SASL_AUTHENTICATE) {
                response = authenticate(request);
            } else if ((refusal = unauthenticated(request)) != null) {
                held.release(bytes);
                throw new InvalidFrameException(refusal);
            } else {
                response = dispatch(request);
            }
            inFlight.add(new Pending(request, response, start, bytes, System.nanoTime() - start));
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

        /**
         * Runs a SASL step. A listener without SASL answers ILLEGAL_SASL_STATE, as Kafka's does; key derivation for
         * PLAIN takes milliseconds, so tokens are evaluated off the event loop. SaslHandshake v0 is answered
         * UNSUPPORTED_VERSION and leaves the session as it was: after it the client would send SASL tokens outside
         * Kafka's framing, and every client since Kafka 1.0 sends v1.
         */
        private CompletableFuture<ApiMessage> authenticate(RequestFrame request) {
            if (sasl == null) {
                return CompletableFuture.completedFuture(ErrorResponses.of(request.body(), request.apiVersion(),
                        Errors.ILLEGAL_SASL_STATE));
            }
            if (rawSaslTokens(request)) {
                return CompletableFuture.completedFuture(ErrorResponses.of(request.body(), request.apiVersion(),
                        Errors.UNSUPPORTED_VERSION));
            }
            if (request.api() == ApiKeys.SASL_HANDSHAKE) {
                return CompletableFuture.completedFuture(sasl.handshake((SaslHandshakeRequestData) request.body()));
            }
            SaslAuthenticateRequestData body = (SaslAuthenticateRequestData) request.body();
            return context.<ApiMessage> executeBlocking(() -> {
                int completed = sasl.completions();
                SaslAuthenticateResponseData answer = sasl.authenticate(body, request.apiVersion(),
                        System.currentTimeMillis());
                client.authenticated(sasl.principal());
                if (answer.errorCode() != Errors.NONE.code() || sasl.completions() > completed) {
                    metrics.authenticated(answer.errorCode() == Errors.NONE.code());
                }
                return answer;
            }, false).toCompletionStage().toCompletableFuture();
        }

        /** SaslHandshake v0, after which the client would send SASL tokens outside Kafka's framing. */
        private static boolean rawSaslTokens(RequestFrame request) {
            return request.api() == ApiKeys.SASL_HANDSHAKE && request.apiVersion() == 0;
        }

        /** Why the request may not be served before, or after, the client's SASL session; null when it may be. */
        private String unauthenticated(RequestFrame request) {
            if (sasl == null) {
                return null;
            }
            if (!sasl.authenticated()) {
                return request.api() + " before SASL authentication";
            }
            return sasl.expired(System.currentTimeMillis())
                    ? "the SASL session expired before the client authenticated again"
                    : null;
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
            while (!closed && !inFlight.isEmpty() && inFlight.peek().response().isDone()) {
                Pending done = inFlight.poll();
                long nanos = System.nanoTime() - done.startNanos();
                ApiMessage body;
                try {
                    body = done.response().join();
                    metrics.served(done.request().api(), nanos, false);
                } catch (RuntimeException e) {
                    metrics.served(done.request().api(), nanos, true);
                    body = errorAnswer(done.request(), e instanceof CompletionException ? e.getCause() : e);
                    if (body == null) {
                        // No answer can stand in its place, so none behind it can follow in order.
                        held.release(done.bytes());
                        refuse("no answer to " + done.request() + " could be made");
                        releaseHeld();
                        break;
                    }
                }
                held.release(done.bytes());
                if (body != null) {
                    long writing = System.nanoTime();
                    write(done.request(), body);
                    handler.worked(done.request(), client, done.workNanos() + System.nanoTime() - writing);
                }
                if (sasl != null && !closing && sasl.failure() != null) {
                    refuse(sasl.failure());
                }
            }
            if (closing && inFlight.isEmpty() && !closed) {
                closed = true;
                socket.close();
            } else if (paused && !closing && inFlight.size() < MAX_IN_FLIGHT / 2) {
                paused = false;
                resumeReading();
            }
        }

        /** Gives back the bytes of every request this connection read and will not answer. */
        private void releaseHeld() {
            inFlight.forEach(p -> held.release(p.bytes()));
            inFlight.clear();
            held.release(reading);
            reading = 0;
        }

        /**
         * Kafka's error answer to a request the handler failed to serve, so the connection and the requests behind
         * it on the pipeline carry on; null where none can be given (an acks=0 produce, a request that does not
         * encode again).
         */
        private ApiMessage errorAnswer(RequestFrame request, Throwable failure) {
            Errors error = Errors.forException(failure);
            if (failure instanceof ApiException) {
                LOG.debugf("%s answers %s with %s: %s", name, request, error, failure.getMessage());
            } else {
                failures.log(() -> LOG.errorf(failure, "%s failed to serve %s; answered %s", name, request, error));
            }
            if (request.api() == ApiKeys.PRODUCE && ((ProduceRequestData) request.body()).acks() == 0) {
                return null;
            }
            try {
                return ErrorResponses.of(request.body(), request.apiVersion(), error);
            } catch (RuntimeException e) {
                return null;
            }
        }

        private void write(RequestFrame request, ApiMessage body) {
            try {
                FrameWriter.write(socket, encode(request, body)).onComplete(written -> client.answerWritten(request));
            } catch (RuntimeException e) {
                failures.log(() -> LOG.errorf(e, "%s cannot encode the answer to %s", name, request));
                refuse("the answer to " + request + " does not encode");
                releaseHeld();
            }
        }

        private io.netty.buffer.ByteBuf encode(RequestFrame request, ApiMessage body) {
            short version = request.api() == ApiKeys.API_VERSIONS
                    ? apis.apiVersionsResponseVersion(request)
                    : request.apiVersion();
            return ResponseEncoder.encode(request, version, body);
        }

        /**
         * Stops reading after bad input, answers what was read before it (as Kafka does), then closes. A client's
         * mistake is logged at INFO, at most one line per interval, and counted.
         */
        private void refuse(String reason) {
            metrics.refused(reason);
            refusals.log(() -> LOG.infof("%s closing connection from %s: %s", name, client.remoteAddress(), reason));
            LOG.debugf("%s closing connection from %s: %s", name, client.remoteAddress(), reason);
            closing = true;
            socket.pause();
        }
    }
}
