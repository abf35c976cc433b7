package io.sluice.gateway.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One WebSocket on a topic: a live tail out (the SSE stream's records, each in a {@code record} message with its id)
 * and records to produce in (the bridge's {@code {"records":[…]}} bodies, each answered in order by a
 * {@code produced} message with every record's outcome, or an {@code error} message). The tail fetches again only
 * while the socket's write queue is not full; the socket is not read while a message is being produced, so neither
 * direction lets a client grow the gateway's memory.
 */
final class TopicSocket implements TailOutput {

    private static final Logger LOG = Logger.getLogger(TopicSocket.class);

    /** A record of the tail. */
    record RecordMessage(String type, String id, StreamedRecord record) {
        RecordMessage(Event event) {
            this("record", event.id(), event.record());
        }
    }

    /** The outcome of a produce message: one per record, in order. */
    record ProducedMessage(String type, List<ProduceAnswer.Outcome> offsets) {
        ProducedMessage(ProduceAnswer answer) {
            this("produced", answer.offsets());
        }
    }

    /** A message refused whole, or the end of the tail: the HTTP status it would have had, and why. */
    record ErrorMessage(String type, @JsonProperty("error_code") int errorCode, String message) {
        ErrorMessage(ErrorMappers.Failure failure) {
            this("error", failure.status(), failure.message());
        }
    }

    private final ServerWebSocket socket;
    private final Context context;
    private final TailRequest request;
    private final HttpProducer producer;
    private final Supplier<HttpCaller> caller;
    private final Executor workers;
    private final BodyBudget bodies;
    /** Set on the socket's context, read by the tail's steps too. */
    private volatile boolean closed;
    /** Touched on the socket's context only. */
    private CompletableFuture<Void> drained;

    /**
     * @param context the socket's own context, on which every write and handler runs
     * @param caller who opened the socket, under the ACLs of the moment: asked again for every message produced
     */
    TopicSocket(ServerWebSocket socket, Context context, TailRequest request, HttpProducer producer,
            Supplier<HttpCaller> caller, Executor workers, BodyBudget bodies) {
        this.socket = socket;
        this.context = context;
        this.request = request;
        this.producer = producer;
        this.caller = caller;
        this.workers = workers;
        this.bodies = bodies;
    }

    /** Takes messages to produce and starts the tail; on the socket's context. */
    void start(TopicTail tail) {
        socket.closeHandler(v -> {
            closed = true;
            goOn();
        });
        socket.exceptionHandler(this::failed);
        socket.textMessageHandler(text -> produce(text.getBytes(StandardCharsets.UTF_8)));
        socket.binaryMessageHandler(binary -> write(new ErrorMessage(new ErrorMappers.Failure(422,
                "records to produce come as text messages: {\"records\":[…]}"))));
        tail.start();
    }

    /**
     * A frame over the size limit or otherwise broken leaves nothing to read after it, and a message over the limit
     * cannot be answered: either closes the socket, with the status that says why.
     */
    private void failed(Throwable failure) {
        LOG.debugf("WebSocket on %s: %s", request.topic().name(), failure);
        if (failure instanceof CorruptedWebSocketFrameException corrupted) {
            socket.close((short) corrupted.closeStatus().code(), corrupted.closeStatus().reasonText());
        } else if (failure instanceof IllegalStateException) {
            // How Vert.x reports a message whose frames add up to more than the limit.
            socket.close((short) WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message too big");
        }
    }

    /**
     * Produces one message's records once the gateway's body budget holds it; the socket is not read until they are
     * answered, so answers come in order.
     */
    private void produce(byte[] message) {
        socket.pause();
        bodies.hold(message.length, context, () -> produceHeld(message));
    }

    private void produceHeld(byte[] message) {
        if (closed) {
            bodies.release(message.length);
            return;
        }
        String topic = request.topic().name();
        CompletableFuture.supplyAsync(() -> {
            HttpCaller producing = caller.get();
            producing.produces(topic);
            return producer.produce(topic, null, request.format(), message, producing.quota());
        }, workers)
                .thenCompose(Function.identity())
                .whenComplete((answer, failure) -> context.runOnContext(v -> {
                    bodies.release(message.length);
                    write(failure == null ? new ProducedMessage(answer)
                            : new ErrorMessage(ErrorMappers.Failure.of(failure)));
                    socket.resume();
                }));
    }

    @Override
    public boolean closed() {
        return closed;
    }

    @Override
    public CompletionStage<Void> send(List<Event> events) {
        List<String> messages = events.stream().map(e -> json(new RecordMessage(e))).toList();
        CompletableFuture<Void> mayGoOn = new CompletableFuture<>();
        context.runOnContext(v -> {
            if (!closed) {
                messages.forEach(socket::writeTextMessage);
            }
            if (closed || !socket.writeQueueFull()) {
                mayGoOn.complete(null);
            } else {
                drained = mayGoOn;
                socket.drainHandler(drain -> goOn());
            }
        });
        return mayGoOn;
    }

    /** The write queue has drained, or the socket closed: the tail goes on (and, closed, stops). */
    private void goOn() {
        if (drained != null) {
            socket.drainHandler(null);
            CompletableFuture<Void> waiting = drained;
            drained = null;
            waiting.complete(null);
        }
    }

    @Override
    public CompletionStage<Void> idle() {
        context.runOnContext(v -> {
            if (!closed) {
                socket.writePing(Buffer.buffer());
            }
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void end(HttpError why) {
        context.runOnContext(v -> {
            if (!closed) {
                write(new ErrorMessage(ErrorMappers.Failure.of(why)));
                socket.close((short) WebSocketCloseStatus.INTERNAL_SERVER_ERROR.code(), "the tail ended: " + why.status());
            }
        });
    }

    private void write(Object message) {
        if (!closed) {
            socket.writeTextMessage(json(message));
        }
    }

    static String json(Object message) {
        try {
            return EmbeddedFormat.MAPPER.writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
