package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/** librdkafka through kcat (Debian package): metadata, produce with compression, consume from the beginning. */
@SluiceCluster
class KcatIT {

    static TestCluster cluster;

    @BeforeAll
    static void topic(Admin admin) throws Exception {
        admin.createTopics(List.of(new NewTopic("kcat", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
    }

    private static String kcat(String input, String... args) throws Exception {
        return new Kcat(List.of("-b", cluster.bootstrapServers())).run(input, args);
    }

    @Test
    void listsMetadata() throws Exception {
        String metadata = kcat(null, "-L", "-t", "kcat");

        assertThat(metadata).contains("1 brokers:", "topic \"kcat\" with 3 partitions");
    }

    @Test
    void producesCompressedAndConsumesFromTheBeginning() throws Exception {
        String lines = IntStream.range(0, 300).mapToObj(i -> "key" + i + ":value" + i)
                .collect(Collectors.joining("\n", "", "\n"));

        kcat(lines, "-P", "-t", "kcat", "-K", ":", "-z", "snappy");
        String consumed = kcat(null, "-C", "-t", "kcat", "-o", "beginning", "-e", "-f", "%k=%s\n");

        List<String> records = consumed.lines().filter(l -> l.startsWith("key")).toList();
        assertThat(records).hasSize(300);
        assertThat(records).contains("key0=value0", "key299=value299");
    }
}
