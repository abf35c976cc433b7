package io.sluice.protocol.net;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.protocol.ApiMessage;

import io.vertx.core.Vertx;

/**
 * A channel to whichever of several servers accepts connections (the coordinator replicas, of which only the active
 * one listens): connects on first use, and when the connection is lost, on the next request. A connection attempt
 * starts at the server that last answered any channel to the same {@link ActiveServer}; one that fails moves on to the
 * next address, each address tried once per request, so a standby costs one refused connection and nothing is ever
 * sent twice.
 */
public final class ReconnectingChannel implements AutoCloseable {

    private final Vertx vertx;
    private final String clientId;
    private final ActiveServer servers;
    private final ChannelLogin login;
    private CompletableFuture<KafkaChannel> channel;
    /** The server the current connection goes to; -1 while there is none. */
    private int connectedTo = -1;
    private boolean closed;

    /** @param addresses host:port of each server */
    public ReconnectingChannel(Vertx vertx, String clientId, List<String> addresses) {
        this(vertx, clientId, new ActiveServer(addresses), ChannelLogin.NONE);
    }

    /** @param login what each new connection does before it carries requests */
    public ReconnectingChannel(Vertx vertx, String clientId, List<String> addresses, ChannelLogin login) {
        this(vertx, clientId, new ActiveServer(addresses), login);
    }

    /** A channel that shares with others which server answers, and which one was given up. */
    public ReconnectingChannel(Vertx vertx, String clientId, ActiveServer servers, ChannelLogin login) {
        this.vertx = vertx;
        this.clientId = clientId;
        this.servers = servers;
        this.login = login;
        servers.register(this);
    }

    /** Sends a request after every request sent before it, even while a connection is being made. */
    public synchronized CompletableFuture<ApiMessage> send(ApiMessage request, short version) {
        CompletableFuture<ApiMessage> answer = new CompletableFuture<>();
        channel = KafkaChannel.sendWhenConnected(channel(), request, null, version, true, answer);
        return answer;
    }

    private synchronized CompletableFuture<KafkaChannel> channel() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("channel closed"));
        }
        if (channel == null || (channel.isDone() && (channel.isCompletedExceptionally() || !channel.join().isOpen()))) {
            connectedTo = -1;
            channel = connect(servers.first(), servers.size());
        }
        return channel;
    }

    /** Connects to the server at {@code index}, and while that fails and attempts are left, to the next one. */
    private CompletableFuture<KafkaChannel> connect(int index, int attempts) {
        String address = servers.address(index);
        int colon = address.lastIndexOf(':');
        return KafkaChannel.connect(vertx, clientId, address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1).trim()), RequestDeadlines.KAFKA_DEFAULT, login)
                .toCompletionStage().toCompletableFuture()
                .handle((connected, error) -> {
                    if (error == null) {
                        connected(index);
                        return CompletableFuture.completedFuture(connected);
                    }
                    servers.moveOn(index);
                    return attempts > 1 ? connect((index + 1) % servers.size(), attempts - 1)
                            : CompletableFuture.<KafkaChannel> failedFuture(error);
                })
                .thenCompose(c -> c);
    }

    private synchronized void connected(int index) {
        connectedTo = index;
        servers.answered(index);
    }

    /**
     * Gives up on the server of the current connection, which stopped answering without closing it (paused, or cut
     * off): the requests under way on it fail, on this channel and on every other channel to that server, and the
     * next request connects to the next address.
     */
    public void abandon() {
        int index;
        synchronized (this) {
            index = connectedTo;
        }
        if (index >= 0) {
            servers.abandon(index);
        }
    }

    /** Closes the current connection if it goes to the server at {@code index}. */
    synchronized void abandonIfConnectedTo(int index) {
        if (connectedTo == index && channel != null && channel.isDone() && !channel.isCompletedExceptionally()) {
            channel.join().close();
            connectedTo = -1;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        servers.unregister(this);
        if (channel != null) {
            channel.thenAccept(KafkaChannel::close);
        }
    }
}
