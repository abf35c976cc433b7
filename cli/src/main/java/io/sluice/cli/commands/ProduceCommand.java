package io.sluice.cli.commands;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice produce}: one record per line of standard input. */
@Command(name = "produce", mixinStandardHelpOptions = true, description = {
        "Produce each line of standard input as one record (acks=all, idempotent), until end of input.",
        "Example: echo 'k1:hello' | sluice produce orders --key-separator :" })
public final class ProduceCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;
    @Parameters(paramLabel = "TOPIC", description = "The topic to write to.")
    String topic;
    @Option(names = { "-k", "--key-separator" }, paramLabel = "SEP", description = "Split each line at the first SEP into key "
            + "and value (lines without it have no key).")
    String keySeparator;
    @Option(names = { "-p", "--partition" }, paramLabel = "P", description = "Write every record to this partition "
            + "(default: by key, or spread).")
    Integer partition;

    @Override
    public Integer call() throws Exception {
        Properties props = client.properties();
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        AtomicLong sent = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props);
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while (failure.get() == null && (line = in.readLine()) != null) {
                producer.send(record(line), (metadata, error) -> {
                    if (error == null) {
                        sent.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("produce to " + topic + " failed after " + sent.get() + " records: "
                    + failure.get().getMessage(), failure.get());
        }
        System.err.println("Produced " + sent.get() + " record" + (sent.get() == 1 ? "" : "s") + " to " + topic);
        return 0;
    }

    ProducerRecord<String, String> record(String line) {
        int at = keySeparator == null || keySeparator.isEmpty() ? -1 : line.indexOf(keySeparator);
        if (at < 0) {
            return new ProducerRecord<>(topic, partition, null, line);
        }
        return new ProducerRecord<>(topic, partition, line.substring(0, at), line.substring(at + keySeparator.length()));
    }
}
