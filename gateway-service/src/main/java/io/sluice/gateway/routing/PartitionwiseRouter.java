package io.sluice.gateway.routing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.metadata.ClusterView;
import io.sluice.protocol.net.RequestNotSentException;

/**
 * Routes one partition-wise API: splits a client's request by partition leader, sends each leader its part, and folds
 * the leaders' answers into one answer in the request's order. A partition that cannot be routed, or whose leader
 * cannot be reached, gets its own error and the others are served; these, and leadership errors in the leaders'
 * answers, refresh the metadata view so that the client's retry finds the new leader.
 */
final class PartitionwiseRouter<Q extends ApiMessage, T, P, R extends ApiMessage, A> {

    /** A leader that could not be reached, or refused a whole part: the request did not get through. */
    static final ApiError LEADER_UNREACHABLE = new ApiError(Errors.NOT_LEADER_OR_FOLLOWER,
            "the partition leader could not be reached");

    private final MetadataView metadata;
    private final PartitionwiseMessages<Q, T, P, R, A> messages;

    PartitionwiseRouter(MetadataView metadata, PartitionwiseMessages<Q, T, P, R, A> messages) {
        this.metadata = metadata;
        this.messages = messages;
    }

    /** The client's answer; null, at once, when leaders do not answer. */
    CompletableFuture<ApiMessage> route(Q request, short version, BrokerChannels brokers) {
        return route(request, version, brokers, null);
    }

    /**
     * The client's answer, partitions of topics not {@code allowed} (null: all are) answered
     * TOPIC_AUTHORIZATION_FAILED and the others served; null, at once, when leaders do not answer.
     */
    CompletableFuture<ApiMessage> route(Q request, short version, BrokerChannels brokers, Predicate<String> allowed) {
        return route(request, version, brokers, allowed, () -> {
        });
    }

    /**
     * {@link #route(Object, short, BrokerChannels, Predicate)}, calling {@code settled} once every leader's part has
     * come in (or failed), which may be after the client was answered.
     */
    CompletableFuture<ApiMessage> route(Q request, short version, BrokerChannels brokers, Predicate<String> allowed,
            Runnable settled) {
        return route(request, null, version, brokers, allowed, settled);
    }

    /**
     * {@link #route(Object, short, BrokerChannels, Predicate)} for a request read from a client: one whose partitions
     * all go to one leader is sent on as the client encoded it ({@link RequestFrame#encodedBody}), not encoded again.
     */
    @SuppressWarnings("unchecked")
    CompletableFuture<ApiMessage> route(RequestFrame frame, BrokerChannels brokers, Predicate<String> allowed) {
        return route((Q) frame.body(), frame.encodedBody(), frame.apiVersion(), brokers, allowed, () -> {
        });
    }

    private CompletableFuture<ApiMessage> route(Q request, ByteBuffer encodedBody, short version,
            BrokerChannels brokers, Predicate<String> allowed, Runnable settled) {
        ClusterView view = metadata.current();
        Split split = new Split(request, view, allowed);
        if (split.unroutable) {
            metadata.refresh();
        }
        split.parts.values().forEach(part -> messages.share(part.request, request, split.parts.size()));
        if (split.unroutable || split.refused) {
            split.parts.values().forEach(part -> messages.stopWaiting(part.request));
        }
        // The only part is the whole request, partition for partition in its order.
        ByteBuffer whole = split.parts.size() == 1 && !split.unroutable && !split.refused ? encodedBody : null;
        if (!messages.expectsAnswer(request)) {
            split.parts.forEach((broker, part) -> brokers.send(view, broker, part.request, whole, version, false)
                    .whenComplete((nothing, error) -> {
                        if (error != null) {
                            metadata.refresh();
                        }
                    }));
            settled.run();
            return CompletableFuture.completedFuture(null);
        }
        Gathering gathering = new Gathering(split, settled);
        try {
            sendParts(split, whole, gathering, brokers, view, version);
        } finally {
            gathering.sent();
        }
        return gathering.answered;
    }

    @SuppressWarnings("unchecked")
    private void sendParts(Split split, ByteBuffer whole, Gathering gathering, BrokerChannels brokers, ClusterView view,
            short version) {
        split.parts.forEach((broker, part) -> {
            if (messages.joinsAwaitedPart()) {
                BrokerChannels.Awaited awaited = brokers.sendOrJoin(view, broker, part.request, version,
                        response -> messages.worthHolding((R) response));
                awaited.answer().whenComplete((response, error) -> {
                    if (gathering.fold(part, response, error)) {
                        brokers.given(broker, awaited);
                    }
                    gathering.partIn();
                });
            } else {
                brokers.send(view, broker, part.request, whole, version, true).whenComplete((response, error) -> {
                    gathering.fold(part, response, error);
                    gathering.partIn();
                });
            }
        });
    }

    private static boolean leadershipError(short errorCode) {
        return errorCode == Errors.NOT_LEADER_OR_FOLLOWER.code() || errorCode == Errors.FENCED_LEADER_EPOCH.code();
    }

    /** A request split by leader, and the client's answer with a place for every partition in the request's order. */
    private final class Split {
        final R answer;
        final Map<Integer, LeaderPart> parts = new HashMap<>();
        boolean unroutable;
        boolean refused;

        Split(Q request, ClusterView view, Predicate<String> allowed) {
            answer = messages.emptyAnswer(request);
            for (T topic : messages.topics(request)) {
                Collection<A> topicAnswers = messages.addTopicAnswer(answer, topic);
                for (P partition : messages.partitions(topic)) {
                    A partitionAnswer = messages.unanswered(partition);
                    topicAnswers.add(partitionAnswer);
                    Route route = messages.route(view, topic, partition);
                    if (allowed != null && route.topic() != null && !allowed.test(route.topic())) {
                        messages.fail(partitionAnswer, new ApiError(Errors.TOPIC_AUTHORIZATION_FAILED, null));
                        refused = true;
                    } else if (route.routable()) {
                        parts.computeIfAbsent(route.broker(), b -> new LeaderPart(messages.emptyPart(request)))
                                .add(topic, partition, partitionAnswer);
                    } else {
                        messages.fail(partitionAnswer, new ApiError(route.error(), null));
                        unroutable = true;
                    }
                }
            }
        }
    }

    /** One leader's part of the request, and the places of its answers, in the order the part asks. */
    private final class LeaderPart {
        final Q request;
        final List<A> answers = new ArrayList<>();
        private T lastTopic;
        private List<P> lastTopicPartitions;

        LeaderPart(Q request) {
            this.request = request;
        }

        void add(T topic, P partition, A answer) {
            // A topic named twice in the request stays twice in the part, so the leader's answers keep our order.
            if (topic != lastTopic) {
                lastTopic = topic;
                lastTopicPartitions = messages.addTopic(request, topic);
            }
            lastTopicPartitions.add(partition);
            answers.add(answer);
        }
    }

    /**
     * The client's answer while the leaders' come in: complete once all have, or as soon as one brings an answer
     * worth sending at once, but not before every part is sent, so that all the answers already in (held for a fetch
     * that asks again: {@link BrokerChannels#sendOrJoin}) go together. Answers arriving after that are left out.
     */
    private final class Gathering {
        final CompletableFuture<ApiMessage> answered = new CompletableFuture<>();
        private final R answer;
        private final Runnable settled;
        private int outstanding;
        private int partsOut;
        /** Every part is sent or joined; until then a complete answer waits, as more may be in already. */
        private boolean sent;
        private boolean complete;

        Gathering(Split split, Runnable settled) {
            this.answer = split.answer;
            this.settled = settled;
            this.outstanding = split.parts.size();
            this.partsOut = outstanding;
            if (outstanding == 0) {
                answered.complete(answer);
                settled.run();
            }
        }

        synchronized void sent() {
            sent = true;
            if (complete) {
                answered.complete(answer);
            }
        }

        /** A leader's part came in, folded or not: once all have, the parts are settled. */
        void partIn() {
            boolean last;
            synchronized (this) {
                last = --partsOut == 0;
            }
            if (last) {
                settled.run();
            }
        }

        /** Folds a leader's answer (or failure) into the client's; false when the client was answered without it. */
        @SuppressWarnings("unchecked")
        synchronized boolean fold(LeaderPart part, ApiMessage response, Throwable error) {
            if (answered.isDone()) {
                return false;
            }
            if (error instanceof InvalidRequestException) {
                // The client's request could not be sent on as it is: no leader is at fault.
                answered.completeExceptionally(error);
                return true;
            }
            try {
                boolean atOnce = error == null && response != null && messages.error((R) response) == Errors.NONE
                        ? copy((R) response, part.answers)
                        : fail(part.answers, failure(error));
                if (atOnce || --outstanding == 0) {
                    complete = true;
                    if (sent) {
                        answered.complete(answer);
                    }
                }
            } catch (RuntimeException e) {
                answered.completeExceptionally(e);
            }
            return true;
        }

        /** Copies a leader's answers into their places; true when one is worth sending at once. */
        private boolean copy(R response, List<A> places) {
            List<A> given = messages.partitionAnswers(response);
            boolean atOnce = false;
            boolean stale = false;
            for (int i = 0; i < given.size(); i++) {
                A place = places.get(i);
                messages.copy(given.get(i), place);
                atOnce |= messages.answerAtOnce(place);
                stale |= leadershipError(messages.errorCode(place));
            }
            if (stale) {
                metadata.refresh();
            }
            return atOnce;
        }

        /**
         * Why a leader's part failed: it never left or was refused whole ({@link #LEADER_UNREACHABLE}), or it was sent
         * and not answered, so the leader may have acted on it ({@link PartitionwiseMessages#noAnswer}).
         */
        private ApiError failure(Throwable error) {
            return error == null || error instanceof RequestNotSentException ? LEADER_UNREACHABLE : messages.noAnswer();
        }

        /** A leader that cannot be reached, refuses its whole part or does not answer it, fails each of its partitions. */
        private boolean fail(List<A> places, ApiError error) {
            places.forEach(place -> messages.fail(place, error));
            metadata.refresh();
            return places.stream().anyMatch(messages::answerAtOnce);
        }
    }
}
