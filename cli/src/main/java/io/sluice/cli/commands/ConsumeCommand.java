package io.sluice.cli.commands;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice consume}: prints records of a topic, reading partitions it assigns itself (no consumer group). */
@Command(name = "consume", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Print the records of a topic, one per line: the value, or key SEP value when the record has a "
                + "key. Reads every partition (or one) without a consumer group.",
        "Without --from-beginning it starts at the end and prints what arrives; Ctrl-C stops it." })
public final class ConsumeCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;
    @Parameters(paramLabel = "TOPIC", description = "The topic to read.")
    String topic;
    @Option(names = "--from-beginning", description = "Start at the earliest offset instead of the end.")
    boolean fromBeginning;
    @Option(names = { "-n", "--max-messages" }, paramLabel = "N", description = "Stop after N records.")
    long maxMessages = Long.MAX_VALUE;
    @Option(names = { "-p", "--partition" }, paramLabel = "P", description = "Read only partition P.")
    Integer partition;
    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Stop once no record arrived for this long (default: wait for ever).")
    Long idleSeconds;
    @Option(names = { "-k", "--key-separator" }, paramLabel = "SEP", description = "Printed between key and "
            + "value (default: a tab).")
    String keySeparator = "\t";

    @Override
    public Integer call() {
        Properties props = client.properties();
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        props.put("enable.auto.commit", "false");
        // Reading must not create the topic as a side effect.
        props.put("allow.auto.create.topics", "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
            }
            long seen = 0;
            long lastRecord = System.nanoTime();
            while (seen < maxMessages) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    System.out.println(record.key() == null ? record.value()
                            : record.key() + keySeparator + record.value());
                    lastRecord = System.nanoTime();
                    if (++seen >= maxMessages) {
                        break;
                    }
                }
                System.out.flush();
                if (idleSeconds != null && System.nanoTime() - lastRecord > Duration.ofSeconds(idleSeconds).toNanos()) {
                    break;
                }
            }
        }
        return 0;
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist");
        }
        List<TopicPartition> partitions = infos.stream()
                .filter(p -> partition == null || p.partition() == partition)
                .map(p -> new TopicPartition(topic, p.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                .toList();
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " has no partition " + partition + " (it has "
                    + infos.size() + ")");
        }
        return partitions;
    }
}
