package io.sluice.gateway.routing;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

import io.sluice.protocol.metadata.ClusterView;

/**
 * One partition-wise API's messages as {@link PartitionwiseRouter} reads and writes them: a request names topics and
 * their partitions, and its answer names the same topics and partitions, in the same order, one answer each.
 *
 * @param <Q> the request
 * @param <T> a topic of the request
 * @param <P> a partition of a request's topic
 * @param <R> the response
 * @param <A> one partition's answer in the response
 */
interface PartitionwiseMessages<Q extends ApiMessage, T, P, R extends ApiMessage, A> {

    Collection<T> topics(Q request);

    List<P> partitions(T topic);

    /** Where a partition's requests go in this view of the cluster (found by its topic's name or, Fetch v13+, id). */
    Route route(ClusterView view, T topic, P partition);

    /** One leader's part of a request: the request-wide fields, no topics yet. */
    Q emptyPart(Q request);

    /** Adds a topic like {@code topic}, without partitions, to a leader's part; returns where its partitions go. */
    List<P> addTopic(Q part, T topic);

    /** Whether leaders answer at all (Produce with acks=0 is answered by nobody). */
    default boolean expectsAnswer(Q request) {
        return true;
    }

    /**
     * Whether a leader's part that is the same as one still awaited from it waits for that answer instead of going
     * again (Fetch: a client answered as soon as one leader had data asks the others the same again at once, and
     * their long polls would pile up, each bringing back data that nobody reads).
     */
    default boolean joinsAwaitedPart() {
        return false;
    }

    /**
     * Whether a leader's answer that came after the client was answered is kept for the client's next request (Fetch:
     * data read and not yet delivered); only with {@link #joinsAwaitedPart}.
     */
    default boolean worthHolding(R response) {
        return false;
    }

    /**
     * The request went to {@code leaders} leaders: what it bounds in all is shared among them (Fetch: each part
     * brings at most its share of the request's maxBytes, so that the answer stays within it).
     */
    default void share(Q part, Q request, int leaders) {
    }

    /** Some partitions could not be routed: a part that would wait for data must answer at once instead (Fetch). */
    default void stopWaiting(Q part) {
    }

    /** The client's answer: the response-wide fields, no topics yet. */
    R emptyAnswer(Q request);

    /** Adds the answer of {@code topic}, without partitions, to the client's answer; returns where they go. */
    Collection<A> addTopicAnswer(R answer, T topic);

    /** A partition's answer before its leader gives one. */
    A unanswered(P partition);

    /**
     * The error of partitions whose leader was sent its part and did not answer: it may have acted on it. By default
     * {@link PartitionwiseRouter#LEADER_UNREACHABLE}, so that the client looks the leader up again.
     */
    default ApiError noAnswer() {
        return PartitionwiseRouter.LEADER_UNREACHABLE;
    }

    /** Turns a partition's answer into an error. */
    void fail(A answer, ApiError error);

    /** An error of a leader's whole response, which then fails every partition it was asked for. */
    default Errors error(R response) {
        return Errors.NONE;
    }

    /** A leader's answers, in the order of its part's partitions. */
    List<A> partitionAnswers(R response);

    /** Copies a leader's answer for a partition into the client's. */
    void copy(A from, A to);

    short errorCode(A answer);

    /** Whether this answer is worth sending the client before the other leaders have answered (Fetch's data). */
    default boolean answerAtOnce(A answer) {
        return false;
    }
}
