package io.sluice.gateway.http;

import java.util.concurrent.CompletableFuture;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.protocol.metadata.ClusterView.TopicView;

/** Finding the topic a request names in the gateway's view. */
final class Topics {

    private Topics() {
    }

    /** The topic, looked for again in a fresh view when the current one lacks it (it may just have been created). */
    static CompletableFuture<TopicView> find(MetadataView metadata, String name) {
        TopicView topic = metadata.current().topic(name);
        if (topic != null) {
            return CompletableFuture.completedFuture(topic);
        }
        return metadata.refresh().thenApply(view -> {
            TopicView fresh = view.topic(name);
            if (fresh == null) {
                throw HttpError.notFound("topic " + name + " does not exist");
            }
            return fresh;
        });
    }
}
