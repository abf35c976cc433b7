package io.sluice.gateway.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;

import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.net.ClientConnection;

/**
 * Kafka's incremental fetch sessions (KIP-227), served by the gateway for Fetch v7 and later: a client that keeps
 * fetching the same partitions names only what changed, and hears only what changed. A connection holds at most one
 * session (a client fetches from a node over one connection), which ends with it or with the client's next full fetch.
 * The sessions of all connections together hold at most {@code maxPartitions} partitions; past that a full fetch
 * gets no session (session id 0), as Kafka answers when its session cache is full, and the client keeps fetching in
 * full.
 */
public final class FetchSessions {

    /** The first Fetch version with sessions. */
    private static final short FIRST_VERSION = 7;
    /** The first Fetch version that names topics by id, in the session's partitions too. */
    private static final short TOPIC_ID_VERSION = 13;

    private final long maxPartitions;
    private final AtomicLong cachedPartitions = new AtomicLong();
    private final AtomicInteger sessions = new AtomicInteger();

    public FetchSessions(long maxPartitions) {
        this.maxPartitions = maxPartitions;
    }

    /** Sessions open now, over all connections. */
    public int sessions() {
        return sessions.get();
    }

    /** Partitions the open sessions hold. */
    public long partitions() {
        return cachedPartitions.get();
    }

    /**
     * Serves a fetch: resolves its session into a sessionless fetch, has {@code fetch} answer that, and answers the
     * client as its session requires.
     */
    public CompletionStage<ApiMessage> serve(RequestFrame frame, ClientConnection connection,
            Function<RequestFrame, CompletionStage<ApiMessage>> fetch) {
        FetchRequestData request = (FetchRequestData) frame.body();
        short version = frame.apiVersion();
        if (version < FIRST_VERSION) {
            return fetch.apply(frame);
        }
        Slot slot = connection.attachment(Slot.class, Slot::new);
        int epoch = request.sessionEpoch();
        if (epoch == FetchMetadata.FINAL_EPOCH || epoch == FetchMetadata.INITIAL_EPOCH) {
            slot.end();
            FetchSession session = epoch == FetchMetadata.INITIAL_EPOCH ? open(request, version) : null;
            if (session == null) {
                return fetch.apply(frame).thenApply(answer -> sessionless(answer));
            }
            slot.begin(session);
            return fetch.apply(frame).thenApply(answer -> answeredInFull(slot, session, (FetchResponseData) answer));
        }
        FetchSession session = slot.session;
        if (session == null || session.id != request.sessionId()) {
            return refused(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        if (session.byTopicId != (version >= TOPIC_ID_VERSION)) {
            slot.end();
            return refused(version >= TOPIC_ID_VERSION ? Errors.FETCH_SESSION_TOPIC_ID_ERROR
                    : Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        boolean overBound;
        synchronized (session) {
            if (!session.expects(epoch)) {
                return refused(Errors.INVALID_FETCH_SESSION_EPOCH);
            }
            session.advance();
            overBound = cachedPartitions.addAndGet(session.update(request)) > maxPartitions;
            if (!overBound) {
                session.makeWhole(request);
            }
        }
        if (overBound) {
            slot.end(); // outside the session's lock: ending takes the slot's, then the session's
            return refused(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        // The client's own frame goes on: what waits for its answer to be written (the fetch memory's grant) knows it.
        return fetch.apply(frame)
                .thenApply(answer -> ok(answer) ? session.answeredIncrementally((FetchResponseData) answer) : answer);
    }

    private FetchSession open(FetchRequestData request, short version) {
        int size = request.topics().stream().mapToInt(t -> t.partitions().size()).sum();
        if (cachedPartitions.addAndGet(size) > maxPartitions) {
            cachedPartitions.addAndGet(-size);
            return null;
        }
        FetchSession session = new FetchSession(ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE),
                version >= TOPIC_ID_VERSION);
        cachedPartitions.addAndGet(session.update(request) - size);
        sessions.incrementAndGet();
        return session;
    }

    /**
     * A full fetch's answer names the session it opened; one without partitions (a throttled one, as KIP-219 allows)
     * or with an error opens none, as in Kafka, and the client fetches in full again.
     */
    private ApiMessage answeredInFull(Slot slot, FetchSession session, FetchResponseData answer) {
        if (!ok(answer) || answer.responses().isEmpty()) {
            slot.end(session);
            return sessionless(answer);
        }
        return session.answeredInFull(answer);
    }

    private static boolean ok(ApiMessage answer) {
        return answer instanceof FetchResponseData fetch && fetch.errorCode() == Errors.NONE.code();
    }

    private static ApiMessage sessionless(ApiMessage answer) {
        return answer instanceof FetchResponseData fetch ? fetch.setSessionId(FetchMetadata.INVALID_SESSION_ID)
                : answer;
    }

    private static CompletionStage<ApiMessage> refused(Errors error) {
        return CompletableFuture.completedFuture(new FetchResponseData().setErrorCode(error.code())
                .setSessionId(FetchMetadata.INVALID_SESSION_ID));
    }

    /** A connection's place for its session, given back with the connection. */
    private final class Slot implements AutoCloseable {
        volatile FetchSession session;

        synchronized void begin(FetchSession begun) {
            session = begun;
        }

        /** Ends the connection's session, if any. */
        synchronized void end() {
            end(session);
        }

        /** Ends {@code ended} if it is still the connection's session. */
        synchronized void end(FetchSession ended) {
            if (ended != null && session == ended) {
                session = null;
                cachedPartitions.addAndGet(-ended.size());
                sessions.decrementAndGet();
            }
        }

        @Override
        public void close() {
            end();
        }
    }
}
