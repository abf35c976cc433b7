package io.sluice.protocol.net;

import java.util.concurrent.CompletableFuture;

/** What a freshly connected {@link KafkaChannel} does before it carries requests: authenticate, or nothing. */
@FunctionalInterface
public interface ChannelLogin {

    ChannelLogin NONE = channel -> CompletableFuture.completedFuture(null);

    /** Completes once the server has accepted the channel; fails (and the channel is closed) when it has not. */
    CompletableFuture<Void> logIn(KafkaChannel channel);
}
