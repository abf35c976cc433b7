package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.sluice.testcluster.Offsets;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * The active coordinator replica cut off by a real network partition while a producer writes at acks=all and a group
 * consumes and commits: every member runs in a network namespace of its own, and the active replica's link is taken
 * down, so that neither the other replicas, nor the brokers, nor the gateway hear from it (no reset, no FIN). It must
 * stand down before the other two elect one of themselves; clients must carry on through the gateway with nothing
 * lost, nothing committed read again and no committed offset going back; and once its link is up again it must follow
 * the new active replica, not take over again.
 */
@SluiceCluster(coordinators = 3, disruptive = true, networkNamespaces = true)
class CoordinatorPartitionIT {

    static TestCluster cluster;

    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(20);
    /** The members find the new active replica through the gateway and commit again; measured 9 to 14 s. */
    private static final Duration COMMITS_AGAIN_LIMIT = Duration.ofSeconds(30);
    /** How long the replica stays cut off after another took over: the majority serves without it meanwhile. */
    private static final Duration CUT_AFTER_TAKEOVER = Duration.ofSeconds(5);
    private static final long SEND_PAUSE_MS = 2;
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");

    @Test
    void theActiveCoordinatorCutOffStandsDownBeforeAnotherTakesOverAndClientsLoseNothing(Admin admin)
            throws Exception {
        Map<String, String> leaders;
        String cut;
        String successor;
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try (CheckedGroup group = new CheckedGroup(cluster, "settlements", "settler", "classic");
                KafkaProducer<String, String> producer = cluster.clients().producer(Map.of(
                        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5))) {
            group.createTopic(admin);
            group.startMembers(2);
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong lastAckAt = new AtomicLong(System.nanoTime());
            AtomicLong longestAckGap = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                while (writing.get()) {
                    int id = sent.getAndIncrement();
                    producer.send(new ProducerRecord<>(group.topic(), "k" + id, Integer.toString(id)), (m, e) -> {
                        if (e == null) {
                            acknowledged.incrementAndGet();
                            long now = System.nanoTime();
                            longestAckGap.accumulateAndGet(now - lastAckAt.getAndSet(now), Math::max);
                        } else {
                            failed.incrementAndGet();
                        }
                    });
                    pause(SEND_PAUSE_MS);
                }
                producer.flush();
            });
            group.awaitProcessed(1_000, Duration.ofSeconds(60));
            leaders = cluster.leaders();
            long committedBefore = committedSum(admin, group.group());

            cut = cluster.activeCoordinator().orElseThrow();
            LocalTime cutAtClock = LocalTime.now();
            long cutAt = System.nanoTime();
            cluster.cutOff(cut);
            await().atMost(TAKEOVER_LIMIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> cluster.activeCoordinators().stream().anyMatch(c -> !c.equals(cut)));
            long takeoverMs = msSince(cutAt);
            successor = cluster.activeCoordinator().filter(c -> !c.equals(cut)).orElseThrow();
            await().atMost(COMMITS_AGAIN_LIMIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> committedSum(admin, group.group()) > committedBefore);
            long commitsAgainMs = msSince(cutAt);
            Thread.sleep(CUT_AFTER_TAKEOVER.toMillis());

            LocalTime stoodDown = lastLogTime(cut, "standing down: ").orElseThrow(
                    () -> new AssertionError(cut + " never logged that it stood down"));
            LocalTime tookOver = lastLogTime(successor, "active coordinator (replicas").orElseThrow();
            assertThat(stoodDown).as(cut + " stood down after the cut").isAfter(cutAtClock);
            assertThat(stoodDown).as(cut + " stood down before " + successor + " took over").isBefore(tookOver);

            cluster.reconnect(cut);
            long watchUntil = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < watchUntil) {
                assertThat(cluster.activeCoordinators()).as("active replicas after " + cut + " was reconnected")
                        .containsExactly(successor);
                Thread.sleep(500);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.ready(cut));
            // What its copy of the state missed, or wrote alone, is gone: it took the majority's state afresh.
            LocalTime released = lastLogTime(cut, "no longer runs the state").orElseThrow(
                    () -> new AssertionError(cut + " never let go of the state it ran in a minority"));
            assertThat(lastLogTime(cut, "emptied its files and took the state from the others"))
                    .as(cut + " took the majority's state after it was reconnected").get()
                    .matches(taken -> taken.isAfter(released));

            writing.set(false);
            writer.get();
            Map<TopicPartition, Long> ends = group.awaitCommittedToEnd(admin);
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("CoordinatorPartitionIT: %s cut off, %s active %d ms after the cut; %s stood down at %s,"
                    + " %s took over at %s; group commits again %d ms after the cut; longest time between two"
                    + " acknowledgements %d ms; %d records sent, %d acknowledged, %d failed, %d stored%n",
                    cut, successor, takeoverMs, cut, stoodDown, successor, tookOver, commitsAgainMs,
                    longestAckGap.get() / 1_000_000,
                    sent.get(), acknowledged.get(), failed.get(), total);

            assertThat(failed.get()).as("sends that failed for good").isZero();
            assertThat(acknowledged.get()).as("every send acknowledged").isEqualTo(sent.get());
            assertThat(total).as("records stored: none lost, none written twice").isEqualTo(sent.get());
            group.assertEveryIdProcessedAndNothingCommittedReRead(sent.get());
        }
        assertThat(cluster.leaders()).as("no leadership moved: the cut was the coordinator's, not the brokers'")
                .isEqualTo(leaders);
        assertThat(cluster.aliveBrokers()).containsExactly(1, 2, 3);
        assertThat(cluster.activeCoordinators()).containsExactly(successor);
        assertThat(cluster.layout().coordinators()).as("every replica ready").allMatch(c -> cluster.ready(c.name()));
    }

    /** The time of the last line of {@code member}'s log that contains {@code text}. */
    private static Optional<LocalTime> lastLogTime(String member, String text) {
        List<String> lines = cluster.logTail(member, 2_000).lines().filter(l -> l.contains(text)).toList();
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = LOG_TIME.matcher(lines.get(lines.size() - 1));
        return m.find() ? Optional.of(LocalTime.parse(m.group(1))) : Optional.empty();
    }

    private static long committedSum(Admin admin, String group) throws Exception {
        return Offsets.committed(admin, group).values().stream().mapToLong(Long::longValue).sum();
    }

    private static long msSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
