package io.sluice.cli.commands;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice consume}: prints records of a topic (assigned partitions, no consumer group). */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Print records of a topic, one per line (key and value separated by a tab when keyed).")
public final class ConsumeCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;
    @Parameters(paramLabel = "TOPIC")
    String topic;
    @Option(names = "--from-beginning", description = "Start at the earliest offset instead of the end.")
    boolean fromBeginning;
    @Option(names = {"-p", "--partition"}, description = "Only this partition.")
    Integer partition;
    @Option(names = {"-n", "--max-messages"}, description = "Stop after this many records.")
    long maxMessages = Long.MAX_VALUE;
    @Option(names = "--timeout", description = "Stop after this many seconds without a record (default: wait).")
    long idleSeconds = -1;

    @Override
    public Integer call() {
        Properties props = client.properties();
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        props.put("enable.auto.commit", "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .filter(p -> partition == null || p.partition() == partition)
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " has no such partition");
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            long seen = 0;
            long lastRecord = System.currentTimeMillis();
            while (seen < maxMessages) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    System.out.println(record.key() == null ? record.value() : record.key() + "\t" + record.value());
                    lastRecord = System.currentTimeMillis();
                    if (++seen >= maxMessages) {
                        break;
                    }
                }
                if (idleSeconds >= 0 && System.currentTimeMillis() - lastRecord > idleSeconds * 1000) {
                    break;
                }
            }
        }
        return 0;
    }
}
