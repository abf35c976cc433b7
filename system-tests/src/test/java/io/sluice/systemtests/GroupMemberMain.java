package io.sluice.systemtests;

import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.sluice.testcluster.KafkaClients;

/**
 * A consumer-group member in a process of its own ({@link CheckedGroup}), so a test can kill it as a crash would. It
 * processes each batch (writes it to its journal), then commits it, and journals the commit:
 * {@code R time partition offset value} per record, {@code C time partition nextOffset} per committed partition,
 * {@code A time partitions} per assignment.
 *
 * <p>
 * Arguments: bootstrap, topic, group, journal file, group protocol ({@code classic} or {@code consumer}).
 */
public final class GroupMemberMain {

    private GroupMemberMain() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, args[2]);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, args[4]);
        if (args[4].equals("classic")) {
            // the consumer group protocol has the coordinator's session timeout and heartbeat interval instead
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, CheckedGroup.SESSION_TIMEOUT_MS);
            config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        }
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        try (PrintWriter journal = new PrintWriter(new FileWriter(args[3], true), true);
                KafkaConsumer<String, String> consumer = new KafkaClients(args[0]).consumer(config)) {
            consumer.subscribe(List.of(args[1]), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    journal.println("A " + System.currentTimeMillis() + " "
                            + partitions.stream().map(tp -> Integer.toString(tp.partition())).sorted().toList());
                }
            });
            while (true) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
                long now = System.currentTimeMillis();
                for (ConsumerRecord<String, String> r : records) {
                    journal.println("R " + now + " " + r.partition() + " " + r.offset() + " " + r.value());
                    processed.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                consumer.commitSync(processed);
                long committed = System.currentTimeMillis();
                processed.forEach((tp, o) -> journal.println("C " + committed + " " + tp.partition() + " "
                        + o.offset()));
            }
        }
    }
}
