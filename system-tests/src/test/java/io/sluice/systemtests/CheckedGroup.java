package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import io.sluice.testcluster.Offsets;
import io.sluice.testcluster.TestCluster;

/**
 * A consumer group under check: records numbered by id go to its topic, and its members run in processes of their
 * own ({@link GroupMemberMain}) that journal, next to the cluster's data, every record they process and every commit
 * they make, so that a test can kill a member as a crash would and prove at-least-once without re-reading anything
 * committed ({@link MemberJournal}), while its committed offsets are watched for going back ({@link CommitWatch}).
 * Closing it kills the members still running.
 */
final class CheckedGroup implements AutoCloseable {

    /** The topic's partitions, replicated three times. */
    static final int PARTITIONS = 6;
    /** The members' session timeout under the classic protocol. */
    static final int SESSION_TIMEOUT_MS = 10_000;

    private final TestCluster cluster;
    private final String topic;
    private final String group;
    private final String protocol;
    private final List<Process> members = new ArrayList<>();
    private final List<Path> journals = new ArrayList<>();
    private CommitWatch commits;

    /** @param protocol the members' {@code group.protocol}: {@code classic} or {@code consumer} */
    CheckedGroup(TestCluster cluster, String topic, String group, String protocol) {
        this.cluster = cluster;
        this.topic = topic;
        this.group = group;
        this.protocol = protocol;
    }

    /** Creates the group's topic and starts watching the group's committed offsets with {@code admin}. */
    void createTopic(Admin admin) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 3))).all().get(30, TimeUnit.SECONDS);
        commits = new CommitWatch(admin, group);
    }

    /** Starts {@code count} more members, each in a JVM of its own, its output next to its journal. */
    void startMembers(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Path journal = cluster.dataDir().resolve(group + "-member-" + members.size() + ".journal");
            journals.add(journal);
            members.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-cp", System.getProperty("java.class.path"), GroupMemberMain.class.getName(),
                    cluster.bootstrapServers(), topic, group, journal.toString(), protocol)
                    .redirectErrorStream(true)
                    .redirectOutput(Path.of(journal + ".out").toFile())
                    .start());
        }
    }

    /** SIGKILL of a member, as in a crash. */
    void killMember(int index) throws InterruptedException {
        members.get(index).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Records {@code k<id>}={@code <id>} for the ids from {@code from} up to {@code to}, all acknowledged. */
    void produce(KafkaProducer<String, String> producer, int from, int to) {
        for (int id = from; id < to; id++) {
            producer.send(new ProducerRecord<>(topic, "k" + id, Integer.toString(id)));
        }
        producer.flush();
    }

    /**
     * Waits until the members have journaled {@code ids} distinct record ids. The journals are read whole each time,
     * so twice a second: reading them as often as Awaitility's default would take CPU from the cluster under test.
     */
    void awaitProcessed(int ids, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> journal().ids().size() >= ids);
    }

    /** Waits until the group has committed the end of every partition; those ends. */
    Map<TopicPartition, Long> awaitCommittedToEnd(Admin admin) throws Exception {
        Map<TopicPartition, Long> ends = Offsets.end(admin, topic, PARTITIONS);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(Offsets.committed(admin, group)).isEqualTo(ends));
        return ends;
    }

    /**
     * Every record id below {@code total} was processed, none again after a commit past it, and no committed offset
     * was ever read lower than before.
     */
    void assertEveryIdProcessedAndNothingCommittedReRead(int total) throws IOException {
        MemberJournal journal = journal();
        assertThat(journal.ids()).as(group).hasSize(total).containsAll(IntStream.range(0, total).boxed().toList());
        assertThat(journal.committedReRead()).as(group + ": records re-read although committed").isEmpty();
        assertCommitsNeverWentBack();
    }

    /** No committed offset of the group was read lower than before, or gone, since the topic was created. */
    void assertCommitsNeverWentBack() {
        assertThat(commits.wentBack()).as(group + ": committed offsets that went back").isEmpty();
    }

    String topic() {
        return topic;
    }

    String group() {
        return group;
    }

    /** What the members have journaled so far. */
    MemberJournal journal() throws IOException {
        return MemberJournal.read(journals);
    }

    @Override
    public void close() throws InterruptedException {
        members.forEach(Process::destroyForcibly);
        if (commits != null) {
            commits.close();
        }
    }
}
