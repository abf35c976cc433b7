package io.sluice.protocol.net;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.protocol.ApiMessage;

import io.vertx.core.Vertx;

/**
 * A channel to one of several equivalent servers (the coordinator replicas): connects on first use, and after a
 * failure reconnects on the next request to the next address in turn.
 */
public final class ReconnectingChannel implements AutoCloseable {

    private final Vertx vertx;
    private final String clientId;
    private final List<String> addresses;
    private int next;
    private CompletableFuture<KafkaChannel> channel;
    private boolean closed;

    /** @param addresses host:port of each server */
    public ReconnectingChannel(Vertx vertx, String clientId, List<String> addresses) {
        this.vertx = vertx;
        this.clientId = clientId;
        this.addresses = List.copyOf(addresses);
    }

    public CompletableFuture<ApiMessage> send(ApiMessage request, short version) {
        return channel().thenCompose(c -> c.send(request, version));
    }

    private synchronized CompletableFuture<KafkaChannel> channel() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("channel closed"));
        }
        if (channel == null || (channel.isDone() && (channel.isCompletedExceptionally() || !channel.join().isOpen()))) {
            String address = addresses.get(next++ % addresses.size());
            int colon = address.lastIndexOf(':');
            channel = KafkaChannel.connect(vertx, clientId, address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1).trim())).toCompletionStage().toCompletableFuture();
        }
        return channel;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (channel != null) {
            channel.thenAccept(KafkaChannel::close);
        }
    }
}
