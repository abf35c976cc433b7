package io.sluice.systemtests;

import static io.sluice.systemtests.RawTransactions.plain;
import static io.sluice.systemtests.RawTransactions.produce;
import static io.sluice.systemtests.RawTransactions.transactional;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * The broker side of transactions, end to end: transactional batches produced by hand through the gateway, COMMIT and
 * ABORT markers written straight to the partition's leader as the transaction coordinator does (WriteTxnMarkers v1),
 * and real consumers at both isolation levels. An open transaction across a killed leader:
 * {@link TransactionFailoverIT}.
 */
@SluiceCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransactionMarkersIT {

    static TestCluster cluster;

    private final RawTransactions transactions = new RawTransactions(cluster);

    @Test
    @Order(1)
    void readCommittedSkipsAbortedTransactionsAndWaitsForOpenOnes() throws Exception {
        TopicPartition tp = transactions.createTopic("txn-markers");
        int leader = transactions.leaderOf(tp, -1);
        try (RawKafka gateway = new RawKafka(cluster.bootstrapServers())) {
            produce(gateway, tp, transactional(9001, 0, "a1", "a2"));
            assertThat(transactions.mark(leader, tp, 9001, true)).isEqualTo(Errors.NONE);
            produce(gateway, tp, transactional(9002, 0, "b1", "b2"));
            assertThat(transactions.mark(leader, tp, 9002, false)).isEqualTo(Errors.NONE);
            produce(gateway, tp, plain("p1"));
            produce(gateway, tp, transactional(9003, 0, "c1"));
            produce(gateway, tp, plain("p2"));

            assertThat(transactions.read(tp, "read_committed")).containsExactly("a1", "a2", "p1");
            assertThat(transactions.read(tp, "read_uncommitted")).containsExactly("a1", "a2", "b1", "b2", "p1", "c1", "p2");
            // a1 a2 COMMIT b1 b2 ABORT p1 | c1 p2: the open transaction of c1 holds the last stable offset at 7.
            assertThat(transactions.endOffset(tp, "read_committed")).isEqualTo(7);
            assertThat(transactions.endOffset(tp, "read_uncommitted")).isEqualTo(9);

            assertThat(transactions.mark(leader, tp, 9003, true)).isEqualTo(Errors.NONE);

            assertThat(transactions.read(tp, "read_committed")).containsExactly("a1", "a2", "p1", "c1", "p2");
            assertThat(transactions.endOffset(tp, "read_committed")).isEqualTo(10);
            assertThat(transactions.endOffset(tp, "read_uncommitted")).isEqualTo(10);
        }
    }

    @Test
    @Order(2)
    void markersAreAnsweredPerPartition() throws Exception {
        TopicPartition tp = transactions.createTopic("txn-marker-errors");
        int leader = transactions.leaderOf(tp, -1);
        try (RawKafka gateway = new RawKafka(cluster.bootstrapServers())) {
            produce(gateway, tp, transactional(9101, (short) 3, 0, "x"));
        }
        assertThat(transactions.mark(leader, tp, 9101, (short) 2, true)).as("an older epoch")
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(transactions.mark(leader, new TopicPartition("no-such-topic", 0), 9101, (short) 3, true))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        int other = cluster.aliveBrokers().stream().filter(b -> b != leader).findFirst().orElseThrow();
        assertThat(transactions.mark(other, tp, 9101, (short) 3, true)).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(transactions.mark(leader, tp, 9101, (short) 3, false)).isEqualTo(Errors.NONE);
        assertThat(transactions.read(tp, "read_committed")).isEmpty();
        assertThat(transactions.read(tp, "read_uncommitted")).containsExactly("x");
    }
}
