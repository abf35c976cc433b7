package io.sluice.protocol.net;

import java.time.Duration;

import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * How long a process waits for the answer to a request it sent another: a base (Kafka's client default of 30 s) on
 * top of the time the request itself asks the server to wait (a fetch's max wait, a join's rebalance timeout), so that a long
 * poll is never mistaken for a dead peer.
 */
public record RequestDeadlines(Duration base) {

    /** On top of Kafka's {@code request.timeout.ms} default. */
    public static final RequestDeadlines KAFKA_DEFAULT = new RequestDeadlines(Duration.ofSeconds(30));
    /** No request may ask to be waited for longer than this, whatever it says. */
    private static final long MAX_WAIT_MS = Duration.ofMinutes(10).toMillis();

    public Duration timeout(ApiMessage request) {
        return base.plusMillis(Math.max(0, Math.min(MAX_WAIT_MS, waitMs(request))));
    }

    private static long waitMs(ApiMessage request) {
        if (request instanceof FetchRequestData fetch) {
            return fetch.maxWaitMs();
        } else if (request instanceof ProduceRequestData produce) {
            return produce.timeoutMs();
        } else if (request instanceof JoinGroupRequestData join) {
            return Math.max(join.rebalanceTimeoutMs(), join.sessionTimeoutMs());
        } else if (request instanceof CreateTopicsRequestData create) {
            return create.timeoutMs();
        } else if (request instanceof DeleteTopicsRequestData delete) {
            return delete.timeoutMs();
        } else if (request instanceof CreatePartitionsRequestData create) {
            return create.timeoutMs();
        }
        return 0;
    }
}
