package io.sluice.cli.commands;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice produce}: one record per line of standard input. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Produce each line of standard input as a record (acks=all, idempotent).")
public final class ProduceCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;
    @Parameters(paramLabel = "TOPIC")
    String topic;
    @Option(names = {"-k", "--key-separator"}, description = "Split each line into key and value at this string.")
    String keySeparator;

    @Override
    public Integer call() throws Exception {
        Properties props = client.properties();
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props);
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && failure.get() == null) {
                String key = null;
                String value = line;
                if (keySeparator != null && line.contains(keySeparator)) {
                    key = line.substring(0, line.indexOf(keySeparator));
                    value = line.substring(line.indexOf(keySeparator) + keySeparator.length());
                }
                producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        sent.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("produce failed: " + failure.get().getMessage(), failure.get());
        }
        System.err.println("Produced " + sent.get() + " records to " + topic);
        return 0;
    }
}
