package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.sluice.testcluster.Offsets;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/** {@code sluice group}, the packaged CLI run as a user runs it, against a real cluster and real consumer groups. */
@SluiceCluster
class GroupCommandIT {

    static TestCluster cluster;
    static Admin admin;

    private static final Path JAR = Path.of(System.getProperty("sluice.home", "..")).resolve("cli/target/sluice.jar");
    private static final Duration ASSIGNED = Duration.ofSeconds(60);

    /** What a finished command printed. */
    record Result(int code, String out, String err) {
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void listAndDescribeShowAnActiveGroupWithItsCommittedOffsetsAndExactLag() throws Exception {
        createTopic("lag", 3);
        produce("lag", 0, 10);
        produce("lag", 1, 4);
        try (KafkaConsumer<String, String> consumer = member("lag-readers", "lag-reader", "lag", 3)) {
            consumer.commitSync(Map.of(new TopicPartition("lag", 0), new OffsetAndMetadata(7),
                    new TopicPartition("lag", 1), new OffsetAndMetadata(4)));
            String member = consumer.groupMetadata().memberId();

            Result list = sluice("group", "list");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).containsPattern("(?m)^GROUP +STATE +TYPE +PROTOCOL +MEMBERS$")
                    .containsPattern("(?m)^lag-readers +Stable +Classic +consumer +1$");

            Result describe = sluice("group", "describe", "lag-readers");
            assertThat(describe.code()).as(describe.err()).isZero();
            assertThat(describe.out())
                    .contains("Consumer group lag-readers: Stable, Classic, assignor range, coordinator 127.0.0.1:"
                            + cluster.member("gateway").kafkaPort() + " (id 0)")
                    .containsPattern("(?m)^" + member + " +- +lag-reader +\\S*127\\.0\\.0\\.1\\S* +3 +lag\\(0,1,2\\)$")
                    .containsPattern("(?m)^TOPIC +PARTITION +CURRENT-OFFSET +LOG-END-OFFSET +LAG +CONSUMER-ID +HOST"
                            + " +CLIENT-ID$")
                    .containsPattern("(?m)^lag +0 +7 +10 +3 +" + member + " +\\S+ +lag-reader$")
                    .containsPattern("(?m)^lag +1 +4 +4 +0 +" + member + " +\\S+ +lag-reader$")
                    .containsPattern("(?m)^lag +2 +- +0 +- +" + member + " +\\S+ +lag-reader$");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void resetIsRefusedWhileTheGroupHasActiveMembers() throws Exception {
        try (KafkaConsumer<String, String> consumer = committedMember("busy-readers", "busy-reader", "busy", 5, 3)) {
            for (String mode : List.of("--execute", "--dry-run")) {
                Result reset = sluice("group", "reset-offsets", "busy-readers", "--topic", "busy", "--to-earliest",
                        mode);

                assertThat(reset.code()).as(mode).isEqualTo(1);
                assertThat(reset.err()).as(mode).isEqualTo("sluice: consumer group busy-readers is Stable with 1 "
                        + "active member: offsets can only be reset while it has none (stop its consumers first)\n");
            }
            assertThat(committed("busy-readers")).isEqualTo(Map.of(new TopicPartition("busy", 0), 3L));
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aDryRunChangesNothingAndExecuteCommitsThePlan() throws Exception {
        createTopic("replay", 2);
        // recent enough for the topic's retention to keep every record
        Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        produce("replay", 0, 20, base);
        produce("replay", 1, 10, base);
        TopicPartition p0 = new TopicPartition("replay", 0);
        TopicPartition p1 = new TopicPartition("replay", 1);
        try (KafkaConsumer<String, String> consumer = member("replayers", "replayer", "replay", 2)) {
            consumer.commitSync(Map.of(p0, new OffsetAndMetadata(15), p1, new OffsetAndMetadata(10)));
        }
        assertThat(sluice("group", "list").out()).as("a closed consumer leaves the group at once")
                .containsPattern("(?m)^replayers +Empty +Classic +consumer +0$");

        Result dryRun = sluice("group", "reset-offsets", "replayers", "--topic", "replay", "--shift-by", "-5");
        assertThat(dryRun.code()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).containsPattern("(?m)^TOPIC +PARTITION +CURRENT-OFFSET +NEW-OFFSET$")
                .containsPattern("(?m)^replay +0 +15 +10$").containsPattern("(?m)^replay +1 +10 +5$")
                .contains("Dry run: nothing changed");
        assertThat(committed("replayers")).isEqualTo(Map.of(p0, 15L, p1, 10L));

        Result toEarliest = sluice("group", "reset-offsets", "replayers", "--topic", "replay:1", "--to-earliest",
                "--execute");
        assertThat(toEarliest.code()).as(toEarliest.err()).isZero();
        assertThat(toEarliest.out()).containsPattern("(?m)^replay +1 +10 +0$").doesNotContainPattern("(?m)^replay +0 ")
                .contains("Committed the new offsets of 1 partition for consumer group replayers.");
        assertThat(committed("replayers")).isEqualTo(Map.of(p0, 15L, p1, 0L));

        Result toOffset = sluice("group", "reset-offsets", "replayers", "--all-topics", "--to-offset", "12",
                "--execute");
        assertThat(toOffset.code()).as(toOffset.err()).isZero();
        assertThat(committed("replayers")).as("partition 1 has 10 records: clamped to its end")
                .isEqualTo(Map.of(p0, 12L, p1, 10L));

        Result toDatetime = sluice("group", "reset-offsets", "replayers", "--topic", "replay", "--to-datetime",
                base.plusSeconds(7).toString(), "--execute");
        assertThat(toDatetime.code()).as(toDatetime.err()).isZero();
        assertThat(committed("replayers")).isEqualTo(Map.of(p0, 7L, p1, 7L));

        Result describe = sluice("group", "describe", "replayers");
        assertThat(describe.out()).contains("Consumer group replayers: Empty", "No active members.")
                .containsPattern("(?m)^replay +0 +7 +20 +13 +- +- +-$")
                .containsPattern("(?m)^replay +1 +7 +10 +3 +- +- +-$");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void unknownGroupsTopicsAndPartitionsAreNamedInTheError() throws Exception {
        createTopic("known", 2);

        assertThat(sluice("group", "describe", "nobody")).isEqualTo(new Result(1, "",
                "sluice: consumer group nobody does not exist\n"));
        assertThat(sluice("group", "reset-offsets", "nobody", "--topic", "unknown", "--to-earliest")).isEqualTo(
                new Result(1, "", "sluice: topic unknown does not exist\n"));
        assertThat(sluice("group", "reset-offsets", "nobody", "--topic", "known:0,2", "--to-earliest")).isEqualTo(
                new Result(1, "", "sluice: topic known has no partition 2 (it has 2)\n"));
        assertThat(sluice("group", "delete", "nobody")).isEqualTo(new Result(1, "",
                "sluice: consumer group nobody does not exist\n"));
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void deleteRefusesAnActiveGroupAndRemovesAnEmptyOne() throws Exception {
        try (KafkaConsumer<String, String> consumer = committedMember("finished", "finisher", "done", 3, 3)) {
            Result refused = sluice("group", "delete", "finished");
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).startsWith("sluice: consumer group finished has active members");
        }

        Result deleted = sluice("group", "delete", "finished");
        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(deleted.out()).isEqualTo("Deleted consumer group finished\n");
        assertThat(sluice("group", "list").out()).doesNotContain("finished");
        assertThat(committed("finished")).isEmpty();
    }

    /** A consumer of {@code group}, subscribed to {@code topic}, once it owns all of its partitions. */
    private static KafkaConsumer<String, String> member(String group, String clientId, String topic,
            int partitions) {
        KafkaConsumer<String, String> consumer = cluster.clients().consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.CLIENT_ID_CONFIG, clientId));
        consumer.subscribe(List.of(topic));
        await().atMost(ASSIGNED).pollInSameThread().until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return consumer.assignment().size() == partitions;
        });
        return consumer;
    }

    /**
     * The one member of {@code group} on a new one-partition {@code topic} of {@code records} records, once it has
     * committed {@code committed}.
     */
    private static KafkaConsumer<String, String> committedMember(String group, String clientId, String topic,
            int records, long committed) throws Exception {
        createTopic(topic, 1);
        produce(topic, 0, records);
        KafkaConsumer<String, String> consumer = member(group, clientId, topic, 1);
        consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(committed)));
        return consumer;
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    private static void produce(String topic, int partition, int count) throws Exception {
        produce(topic, partition, count, Instant.now());
    }

    /** {@code count} records, the i-th stamped {@code from} plus i seconds. */
    private static void produce(String topic, int partition, int count, Instant from) throws Exception {
        try (KafkaProducer<String, String> producer = cluster.clients().producer()) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, from.plusSeconds(i).toEpochMilli(), "k" + i,
                        "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        return Offsets.committed(admin, group);
    }

    private static Result sluice(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toAbsolutePath().normalize().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--bootstrap", cluster.bootstrapServers(), "--timeout", "30"));
        Process cli = new ProcessBuilder(command).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(cli.getErrorStream()));
        String out = read(cli.getInputStream());
        assertThat(cli.waitFor(120, TimeUnit.SECONDS)).as("sluice " + String.join(" ", args) + " ended").isTrue();
        return new Result(cli.exitValue(), out, err.get(10, TimeUnit.SECONDS));
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
