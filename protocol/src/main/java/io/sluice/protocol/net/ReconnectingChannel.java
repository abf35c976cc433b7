package io.sluice.protocol.net;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.protocol.ApiMessage;

import io.vertx.core.Vertx;

/**
 * A channel to whichever of several servers accepts connections (the coordinator replicas, of which only the active
 * one listens): connects on first use, and when the connection is lost, on the next request. A connection attempt
 * that fails moves on to the next address, each address tried once per request, so a standby costs one refused
 * connection and nothing is ever sent twice.
 */
public final class ReconnectingChannel implements AutoCloseable {

    private final Vertx vertx;
    private final String clientId;
    private final List<String> addresses;
    private final ChannelLogin login;
    private int next;
    private CompletableFuture<KafkaChannel> channel;
    private boolean closed;

    /** @param addresses host:port of each server */
    public ReconnectingChannel(Vertx vertx, String clientId, List<String> addresses) {
        this(vertx, clientId, addresses, ChannelLogin.NONE);
    }

    /** @param login what each new connection does before it carries requests */
    public ReconnectingChannel(Vertx vertx, String clientId, List<String> addresses, ChannelLogin login) {
        this.vertx = vertx;
        this.clientId = clientId;
        this.addresses = List.copyOf(addresses);
        this.login = login;
    }

    /** Sends a request after every request sent before it, even while a connection is being made. */
    public synchronized CompletableFuture<ApiMessage> send(ApiMessage request, short version) {
        CompletableFuture<ApiMessage> answer = new CompletableFuture<>();
        channel = KafkaChannel.sendWhenConnected(channel(), request, version, true, answer);
        return answer;
    }

    private synchronized CompletableFuture<KafkaChannel> channel() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("channel closed"));
        }
        if (channel == null || (channel.isDone() && (channel.isCompletedExceptionally() || !channel.join().isOpen()))) {
            channel = connect(addresses.size());
        }
        return channel;
    }

    /** Connects to the current address, and while that fails and attempts are left, to the next one. */
    private CompletableFuture<KafkaChannel> connect(int attempts) {
        String address = currentAddress();
        int colon = address.lastIndexOf(':');
        return KafkaChannel.connect(vertx, clientId, address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1).trim()), RequestDeadlines.KAFKA_DEFAULT, login)
                .toCompletionStage().toCompletableFuture()
                .handle((connected, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(connected);
                    }
                    advance();
                    return attempts > 1 ? connect(attempts - 1) : CompletableFuture.<KafkaChannel> failedFuture(error);
                })
                .thenCompose(c -> c);
    }

    private synchronized String currentAddress() {
        return addresses.get(next % addresses.size());
    }

    private synchronized void advance() {
        next++;
    }

    /**
     * Gives up on the server of the current connection, which stopped answering without closing it (paused, or cut
     * off): the requests under way on it fail, and the next request connects to the next address.
     */
    public synchronized void abandon() {
        if (channel != null && channel.isDone() && !channel.isCompletedExceptionally()) {
            channel.join().close();
            advance();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (channel != null) {
            channel.thenAccept(KafkaChannel::close);
        }
    }
}
