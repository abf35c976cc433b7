package io.sluice.gateway.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchRequestData.ForgottenTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.protocol.record.BatchRecords;

/**
 * One client's incremental fetch session (KIP-227): the partitions it fetches, each with the position it last asked
 * for and what it was last told of the partition. An incremental fetch names only the partitions whose position
 * changed and those to forget; the gateway fetches every partition of the session and answers only those with records,
 * an error, or a changed high watermark, last stable offset or log start offset. Partitions that brought records move
 * to the end of the session, so that a response size limit does not starve the last ones.
 */
final class FetchSession {

    /** A partition of the session: by topic id from Fetch v13, by topic name before. */
    record Key(Uuid topicId, String topic, int partition) {
    }

    private static final class Cached {
        final FetchPartition asked;
        long highWatermark = -1;
        long lastStableOffset = -1;
        long logStartOffset = -1;

        Cached(FetchPartition asked) {
            this.asked = asked;
        }
    }

    final int id;
    final boolean byTopicId;
    private final Map<Key, Cached> partitions = new LinkedHashMap<>();
    private int nextEpoch = 1;

    FetchSession(int id, boolean byTopicId) {
        this.id = id;
        this.byTopicId = byTopicId;
    }

    synchronized int size() {
        return partitions.size();
    }

    synchronized boolean expects(int epoch) {
        return epoch == nextEpoch;
    }

    /** The epoch of this session's next fetch: each fetch of it counts one on. */
    synchronized void advance() {
        nextEpoch = nextEpoch == Integer.MAX_VALUE ? 1 : nextEpoch + 1;
    }

    /**
     * Takes a fetch of this session in: forgets what it says to forget, and adds or updates the partitions it names;
     * returns how many partitions the session grew by (negative when it shrank).
     */
    synchronized int update(FetchRequestData request) {
        int before = partitions.size();
        for (ForgottenTopic forgotten : request.forgottenTopicsData()) {
            for (int partition : forgotten.partitions()) {
                partitions.remove(new Key(forgotten.topicId(), forgotten.topic(), partition));
            }
        }
        for (FetchTopic topic : request.topics()) {
            for (FetchPartition partition : topic.partitions()) {
                Key key = new Key(topic.topicId(), topic.topic(), partition.partition());
                Cached cached = partitions.get(key);
                if (cached == null) {
                    partitions.put(key, new Cached(partition.duplicate()));
                } else {
                    cached.asked.setFetchOffset(partition.fetchOffset())
                            .setPartitionMaxBytes(partition.partitionMaxBytes())
                            .setLogStartOffset(partition.logStartOffset())
                            .setCurrentLeaderEpoch(partition.currentLeaderEpoch())
                            .setLastFetchedEpoch(partition.lastFetchedEpoch());
                }
            }
        }
        return partitions.size() - before;
    }

    /**
     * Turns a fetch of this session, already taken in, into the sessionless fetch that serves it: its own settings,
     * and every partition of the session in the session's order (a topic split by that order is named again).
     */
    synchronized void makeWhole(FetchRequestData request) {
        List<FetchTopic> whole = new ArrayList<>();
        FetchTopic last = null;
        for (Map.Entry<Key, Cached> entry : partitions.entrySet()) {
            Key key = entry.getKey();
            if (last == null || !last.topicId().equals(key.topicId()) || !last.topic().equals(key.topic())) {
                last = new FetchTopic().setTopicId(key.topicId()).setTopic(key.topic());
                whole.add(last);
            }
            last.partitions().add(entry.getValue().asked.duplicate());
        }
        request.setTopics(whole).setForgottenTopicsData(new ArrayList<>()).setSessionId(0).setSessionEpoch(-1);
    }

    /** Notes what a full fetch's answer told the client, every partition of which it keeps, and names the session. */
    synchronized FetchResponseData answeredInFull(FetchResponseData answer) {
        forEachAnswer(answer, (cached, partition) -> told(cached, partition));
        return answer.setSessionId(id);
    }

    /**
     * Keeps in an incremental fetch's answer only what the client has not been told: records, errors, and changed
     * offsets. Partitions not answered yet (the gateway answered before their leader did) are left out.
     */
    synchronized FetchResponseData answeredIncrementally(FetchResponseData answer) {
        List<Key> brought = new ArrayList<>();
        for (Iterator<FetchableTopicResponse> topics = answer.responses().iterator(); topics.hasNext();) {
            FetchableTopicResponse topic = topics.next();
            topic.partitions().removeIf(partition -> {
                Key key = new Key(topic.topicId(), topic.topic(), partition.partitionIndex());
                Cached cached = partitions.get(key);
                boolean news = cached != null && told(cached, partition);
                if (news && BatchRecords.bytes(partition.records()).hasRemaining()) {
                    brought.add(key);
                }
                return !news;
            });
            if (topic.partitions().isEmpty()) {
                topics.remove();
            }
        }
        brought.forEach(key -> partitions.put(key, partitions.remove(key)));
        return answer.setSessionId(id);
    }

    /** Notes what the client is told of a partition; false when that is nothing new. */
    private static boolean told(Cached cached, PartitionData answer) {
        boolean unanswered = answer.highWatermark() < 0 && answer.errorCode() == Errors.NONE.code();
        if (unanswered) {
            return false;
        }
        boolean news = answer.errorCode() != Errors.NONE.code()
                || BatchRecords.bytes(answer.records()).hasRemaining()
                || answer.highWatermark() != cached.highWatermark
                || answer.lastStableOffset() != cached.lastStableOffset
                || answer.logStartOffset() != cached.logStartOffset;
        // After an error the next good answer is news, whatever its offsets.
        cached.highWatermark = answer.errorCode() == Errors.NONE.code() ? answer.highWatermark() : -1;
        cached.lastStableOffset = answer.lastStableOffset();
        cached.logStartOffset = answer.logStartOffset();
        return news;
    }

    private void forEachAnswer(FetchResponseData answer, BiConsumer<Cached, PartitionData> action) {
        for (FetchableTopicResponse topic : answer.responses()) {
            for (PartitionData partition : topic.partitions()) {
                Cached cached = partitions.get(new Key(topic.topicId(), topic.topic(), partition.partitionIndex()));
                if (cached != null) {
                    action.accept(cached, partition);
                }
            }
        }
    }
}
