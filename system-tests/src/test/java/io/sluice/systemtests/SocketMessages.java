package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A WebSocket opened with the JDK's client: the JSON messages it receives, in order, and how it closed. */
final class SocketMessages implements AutoCloseable, WebSocket.Listener {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the server closed the socket. */
    record Closed(int status, String reason) {
    }

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final boolean reading;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private SocketMessages(boolean reading) {
        this.reading = reading;
    }

    /** Opens a socket that takes every message as it comes. */
    static SocketMessages open(String url) {
        return open(url, true);
    }

    /** @param reading false for a client that takes nothing until {@link #readOn()} */
    static SocketMessages open(String url, boolean reading) {
        SocketMessages listener = new SocketMessages(reading);
        listener.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(url.replaceFirst("^http", "ws")), listener)
                .join();
        return listener;
    }

    /** The HTTP status a refused upgrade was answered with; fails if the socket opened. */
    static int handshakeStatus(String url) {
        Throwable thrown = catchThrowable(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(url.replaceFirst("^http", "ws")), new WebSocket.Listener() {
                })
                .join());
        assertThat(thrown).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) thrown.getCause()).getResponse().statusCode();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reading) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    /** Starts taking messages, for a socket opened not reading. */
    void readOn() {
        socket.request(1);
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** The next {@code count} messages, or fails after {@code timeout}. */
    List<JsonNode> next(int count, Duration timeout) throws InterruptedException {
        List<JsonNode> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < count) {
            JsonNode message = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("only " + taken.size() + " of " + count + " messages came: " + taken);
            }
            taken.add(message);
        }
        return taken;
    }

    JsonNode next(Duration timeout) throws InterruptedException {
        return next(1, timeout).get(0);
    }

    /** The next message of {@code type}, passing over the others (a tail's records between produce answers). */
    JsonNode nextOf(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode message = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no " + type + " message came");
            }
            if (message.path("type").asText().equals(type)) {
                return message;
            }
        }
    }

    /** A message if one comes within {@code wait}, else null. */
    JsonNode poll(Duration wait) throws InterruptedException {
        return messages.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    Closed closed(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        socket.abort();
    }
}
