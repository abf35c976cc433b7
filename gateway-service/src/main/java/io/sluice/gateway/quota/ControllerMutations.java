package io.sluice.gateway.quota;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.metadata.ClusterView;

/**
 * Kafka's {@code controller_mutation_rate} (KIP-599): the partitions a client creates (CreateTopics, CreatePartitions)
 * and deletes (DeleteTopics) per second. Topic by topic in request order, a topic is refused with
 * THROTTLING_QUOTA_EXCEEDED while the client owes, and otherwise counts its partitions (the client may go into debt
 * with it); the answer says how long to wait. Versions before KIP-599 (CreateTopics 6, CreatePartitions 3,
 * DeleteTopics 5) cannot carry that error: their topics are all accepted and the client is only throttled, as Kafka
 * does. A topic that then fails gives its partitions back. The Kafka listener also stops reading a client that owes;
 * the HTTP API, with no connection to stop reading, answers its next topic refused (429) instead.
 */
public final class ControllerMutations {

    private final Throttles throttles;
    private final Supplier<ClusterView> cluster;

    public ControllerMutations(Throttles throttles, Supplier<ClusterView> cluster) {
        this.throttles = throttles;
        this.cluster = cluster;
    }

    public static boolean holds(ApiKeys api) {
        return api == ApiKeys.CREATE_TOPICS || api == ApiKeys.CREATE_PARTITIONS || api == ApiKeys.DELETE_TOPICS;
    }

    /**
     * Serves the request ({@code next}) with the topics the quota of {@code user} and the request's client id allows.
     *
     * @param mute told how long the client owes once it is answered, if it does
     */
    public CompletionStage<ApiMessage> serve(RequestFrame request, String user, LongConsumer mute,
            Function<RequestFrame, CompletionStage<ApiMessage>> next) {
        String clientId = request.clientId();
        if (throttles.burst(ClientQuotas.CONTROLLER_MUTATION_RATE, user, clientId).isEmpty()) {
            return next.apply(request);
        }
        Ledger ledger = new Ledger(user, clientId, request.apiVersion() >= strictVersion(request.api()), mute);
        return switch (request.api()) {
            case CREATE_TOPICS -> createTopics(request, next, ledger);
            case CREATE_PARTITIONS -> createPartitions(request, next, ledger);
            default -> deleteTopics(request, next, ledger);
        };
    }

    private CompletionStage<ApiMessage> createTopics(RequestFrame request,
            Function<RequestFrame, CompletionStage<ApiMessage>> next, Ledger ledger) {
        CreateTopicsRequestData allowed = ((CreateTopicsRequestData) request.body()).duplicate();
        List<String> refused = new ArrayList<>();
        allowed.topics().removeIf(t -> !ledger.take(t.name(), t.assignments().isEmpty()
                ? Math.max(1, t.numPartitions())
                : t.assignments().size(), refused));
        return forward(request, allowed, allowed.topics().isEmpty(), new CreateTopicsResponseData(), next)
                .thenApply(answer -> {
                    CreateTopicsResponseData created = (CreateTopicsResponseData) answer;
                    created.topics().forEach(t -> ledger.settle(t.name(), t.errorCode() == Errors.NONE.code()
                            ? Math.max(0, t.numPartitions())
                            : 0));
                    refused.forEach(name -> created.topics().add(new CreateTopicsResponseData.CreatableTopicResult()
                            .setName(name).setErrorCode(Errors.THROTTLING_QUOTA_EXCEEDED.code())
                            .setErrorMessage(Errors.THROTTLING_QUOTA_EXCEEDED.message())));
                    created.setThrottleTimeMs(ledger.throttle(created.throttleTimeMs()));
                    return created;
                });
    }

    private CompletionStage<ApiMessage> createPartitions(RequestFrame request,
            Function<RequestFrame, CompletionStage<ApiMessage>> next, Ledger ledger) {
        CreatePartitionsRequestData allowed = ((CreatePartitionsRequestData) request.body()).duplicate();
        List<String> refused = new ArrayList<>();
        allowed.topics().removeIf(t -> !ledger.take(t.name(), Math.max(0, t.count() - partitions(t.name())), refused));
        return forward(request, allowed, allowed.topics().isEmpty(), new CreatePartitionsResponseData(), next)
                .thenApply(answer -> {
                    CreatePartitionsResponseData grown = (CreatePartitionsResponseData) answer;
                    grown.results().forEach(t -> ledger.settle(t.name(), t.errorCode() == Errors.NONE.code()
                            ? ledger.taken(t.name())
                            : 0));
                    refused.forEach(name -> grown.results()
                            .add(new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(name)
                                    .setErrorCode(Errors.THROTTLING_QUOTA_EXCEEDED.code())
                                    .setErrorMessage(Errors.THROTTLING_QUOTA_EXCEEDED.message())));
                    grown.setThrottleTimeMs(ledger.throttle(grown.throttleTimeMs()));
                    return grown;
                });
    }

    /** A topic id nobody knows goes on uncounted: the coordinator answers it UNKNOWN_TOPIC_ID. */
    private CompletionStage<ApiMessage> deleteTopics(RequestFrame request,
            Function<RequestFrame, CompletionStage<ApiMessage>> next, Ledger ledger) {
        DeleteTopicsRequestData allowed = ((DeleteTopicsRequestData) request.body()).duplicate();
        List<String> refused = new ArrayList<>();
        ClusterView view = cluster.get();
        allowed.topicNames().removeIf(name -> !ledger.take(name, partitions(name), refused));
        allowed.topics().removeIf(t -> {
            String name = t.name() != null ? t.name()
                    : view.topic(t.topicId()) == null ? null : view.topic(t.topicId()).name();
            return name != null && !ledger.take(name, partitions(name), refused);
        });
        return forward(request, allowed, allowed.topicNames().isEmpty() && allowed.topics().isEmpty(),
                new DeleteTopicsResponseData(), next).thenApply(answer -> {
                    DeleteTopicsResponseData deleted = (DeleteTopicsResponseData) answer;
                    deleted.responses().forEach(t -> ledger.settle(t.name(), t.errorCode() == Errors.NONE.code()
                            ? ledger.taken(t.name())
                            : 0));
                    refused.forEach(name -> deleted.responses()
                            .add(new DeleteTopicsResponseData.DeletableTopicResult().setName(name)
                                    .setErrorCode(Errors.THROTTLING_QUOTA_EXCEEDED.code())
                                    .setErrorMessage(Errors.THROTTLING_QUOTA_EXCEEDED.message())));
                    deleted.setThrottleTimeMs(ledger.throttle(deleted.throttleTimeMs()));
                    return deleted;
                });
    }

    /** A topic's partition count now, 0 when unknown. */
    private int partitions(String topic) {
        ClusterView.TopicView view = cluster.get().topic(topic);
        return view == null ? 0 : view.partitions().size();
    }

    private static CompletionStage<ApiMessage> forward(RequestFrame request, ApiMessage allowed, boolean nothingLeft,
            ApiMessage nothing, Function<RequestFrame, CompletionStage<ApiMessage>> next) {
        return nothingLeft ? CompletableFuture.completedFuture(nothing)
                : next.apply(new RequestFrame(request.apiKey(), request.apiVersion(), request.correlationId(),
                        request.clientId(), allowed));
    }

    /** The first version that can answer THROTTLING_QUOTA_EXCEEDED. */
    private static short strictVersion(ApiKeys api) {
        return switch (api) {
            case CREATE_TOPICS -> 6;
            case CREATE_PARTITIONS -> 3;
            default -> 5;
        };
    }

    /** One request's partitions against the client's quota: taken before it goes on, settled from its answer. */
    private final class Ledger {
        private final String user;
        private final String clientId;
        private final boolean strict;
        private final LongConsumer mute;
        private final Map<String, Integer> taken = new HashMap<>();

        Ledger(String user, String clientId, boolean strict, LongConsumer mute) {
            this.user = user;
            this.clientId = clientId;
            this.strict = strict;
            this.mute = mute;
        }

        /** Takes a topic's partitions, or adds it to {@code refused} while the client owes (strict versions). */
        boolean take(String topic, int count, List<String> refused) {
            if (strict && throttles.owed(ClientQuotas.CONTROLLER_MUTATION_RATE, user, clientId) > 0) {
                refused.add(topic);
                return false;
            }
            throttles.record(ClientQuotas.CONTROLLER_MUTATION_RATE, user, clientId, count);
            taken.merge(topic, count, Integer::sum);
            return true;
        }

        int taken(String topic) {
            return taken.getOrDefault(topic, 0);
        }

        /** What the topic really mutated, against what was taken for it (its default partition count, a failure). */
        void settle(String topic, int mutated) {
            int before = taken.getOrDefault(topic, 0);
            taken.remove(topic);
            if (before != mutated) {
                throttles.record(ClientQuotas.CONTROLLER_MUTATION_RATE, user, clientId, mutated - before);
            }
        }

        /** How long the client waits now; it is muted meanwhile. */
        int throttle(int already) {
            long owed = throttles.owed(ClientQuotas.CONTROLLER_MUTATION_RATE, user, clientId);
            if (owed > 0) {
                mute.accept(owed);
            }
            return (int) Math.max(already, owed);
        }
    }
}
