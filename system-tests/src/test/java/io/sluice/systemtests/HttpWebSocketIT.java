package io.sluice.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The live tail and produce over a WebSocket ({@code /topics/{t}/ws}) with the JDK's WebSocket client: records a Kafka
 * producer wrote come as the SSE stream has them and resume exactly after an id, records sent on the socket are what
 * a Kafka consumer reads, bad messages are answered without closing the socket, and a client that reads nothing
 * holds the tail up.
 */
@SluiceCluster
class HttpWebSocketIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static TestCluster cluster;
    static KafkaClients clients;

    @BeforeAll
    static void topics(Admin admin) throws Exception {
        admin.createTopics(List.of(
                new NewTopic("ws-tail", 2, (short) 3),
                new NewTopic("ws-produce", 2, (short) 2),
                new NewTopic("ws-slow", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    private static String socketUrl(String topic, String query) {
        return cluster.httpUrl() + "/topics/" + topic + "/ws?" + query;
    }

    private static String utf8(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    @Test
    void theSocketStreamsWhatAKafkaProducerWroteAndResumesExactlyAfterAnId() throws Exception {
        try (KafkaProducer<String, String> producer = clients.producer()) {
            for (String value : List.of("a0", "a1")) {
                producer.send(new ProducerRecord<>("ws-tail", 0, "ka", value,
                        List.of(new RecordHeader("h", value.getBytes(StandardCharsets.UTF_8)))));
            }
            for (String value : List.of("b0", "b1")) {
                producer.send(new ProducerRecord<>("ws-tail", 1, "kb", value));
            }
            producer.flush();

            List<JsonNode> first;
            try (SocketMessages socket = SocketMessages.open(socketUrl("ws-tail", "from=earliest&format=text"))) {
                first = socket.next(4, WAIT);
            }
            assertThat(first).allSatisfy(m -> assertThat(m.get("type").asText()).isEqualTo("record"));
            assertThat(first).extracting(m -> m.get("record").get("value").asText())
                    .containsExactlyInAnyOrder("a0", "a1", "b0", "b1");
            JsonNode a1 = first.stream().map(m -> m.get("record"))
                    .filter(r -> r.get("value").asText().equals("a1")).findFirst().orElseThrow();
            assertThat(a1.get("topic").asText()).isEqualTo("ws-tail");
            assertThat(a1.get("partition").asInt()).isZero();
            assertThat(a1.get("offset").asLong()).isEqualTo(1);
            assertThat(a1.get("key").asText()).isEqualTo("ka");
            assertThat(a1.get("timestamp").asLong()).isPositive();
            assertThat(utf8(a1.get("headers").get(0).get("value").asText())).isEqualTo("a1");
            assertThat(first.get(3).get("id").asText()).as("every partition's next offset").isEqualTo("0:2,1:2");

            String resumeAt = first.get(1).get("id").asText();
            producer.send(new ProducerRecord<>("ws-tail", 0, "ka", "a2"));
            producer.send(new ProducerRecord<>("ws-tail", 1, "kb", "b2"));
            producer.flush();
            List<String> seen = new ArrayList<>(first.subList(0, 2).stream()
                    .map(m -> m.get("record").get("value").asText()).toList());
            try (SocketMessages resumed = SocketMessages.open(socketUrl("ws-tail",
                    "format=text&lastEventId=" + resumeAt))) {
                resumed.next(4, WAIT).forEach(m -> seen.add(m.get("record").get("value").asText()));
                assertThat(seen).as("the first two, then exactly the rest").containsExactlyInAnyOrder("a0", "a1",
                        "a2", "b0", "b1", "b2");
                producer.send(new ProducerRecord<>("ws-tail", 1, "kb", "live")).get(30, TimeUnit.SECONDS);
                JsonNode live = resumed.next(WAIT);
                assertThat(live.get("record").get("value").asText()).isEqualTo("live");
                assertThat(live.get("id").asText()).isEqualTo("0:3,1:4");
                assertThat(resumed.poll(Duration.ofMillis(300))).as("nothing more").isNull();
            }
        }
    }

    @Test
    void recordsSentOnTheSocketAreAnsweredInOrderAndReadByAKafkaConsumer() throws Exception {
        try (SocketMessages socket = SocketMessages.open(socketUrl("ws-produce", "format=text"))) {
            socket.send(
                    "{\"records\":[{\"key\":\"k1\",\"value\":\"one\",\"partition\":0,\"headers\":[{\"key\":\"trace\",\"value\":\""
                            + Base64.getEncoder().encodeToString("t-1".getBytes(StandardCharsets.UTF_8)) + "\"}]},"
                            + "{\"value\":\"two\",\"partition\":1}]}");
            JsonNode produced = socket.nextOf("produced", WAIT);
            assertThat(produced.get("offsets")).hasSize(2);
            assertThat(produced.get("offsets").get(1).get("partition").asInt()).isEqualTo(1);
            assertThat(produced.get("offsets").get(1).get("offset").asLong()).isZero();

            socket.send("{\"records\":[{\"value\":\"three\",\"partition\":7}]}");
            JsonNode unknownPartition = socket.nextOf("error", WAIT);
            assertThat(unknownPartition.get("error_code").asInt()).isEqualTo(404);
            assertThat(unknownPartition.get("message").asText()).contains("partition 7");
            socket.send("{\"records\":[{\"value\":");
            assertThat(socket.nextOf("error", WAIT).get("error_code").asInt()).as("not JSON").isEqualTo(422);
            socket.send("{\"records\":[{\"value\":{\"not\":\"text\"}}]}");
            assertThat(socket.nextOf("error", WAIT).get("message").asText()).contains("string");
            socket.sendBinary(new byte[] { 1, 2, 3 });
            assertThat(socket.nextOf("error", WAIT).get("message").asText()).contains("text messages");
            socket.send("{\"records\":[{\"value\":\"three\",\"partition\":0}]}");
            assertThat(socket.nextOf("produced", WAIT).get("offsets").get(0).get("partition").asInt())
                    .as("the socket serves on after bad messages").isZero();
        }

        List<ConsumerRecord<String, String>> read = clients.readAll("ws-produce", 2, 3, WAIT);
        assertThat(read).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("one", "two", "three");
        ConsumerRecord<String, String> one = read.stream().filter(r -> r.value().equals("one")).findFirst()
                .orElseThrow();
        assertThat(one.key()).isEqualTo("k1");
        assertThat(new String(one.headers().lastHeader("trace").value(), StandardCharsets.UTF_8)).isEqualTo("t-1");
    }

    @Test
    void aBadSocketRequestIsRefusedWithItsStatusBeforeTheUpgrade() {
        assertThat(SocketMessages.handshakeStatus(socketUrl("ws-no-such-topic", ""))).isEqualTo(404);
        assertThat(SocketMessages.handshakeStatus(socketUrl("ws-tail", "from=yesterday"))).isEqualTo(400);
        assertThat(SocketMessages.handshakeStatus(socketUrl("ws-tail", "partition=9"))).isEqualTo(404);
        assertThat(SocketMessages.handshakeStatus(socketUrl("ws-tail", "lastEventId=nonsense"))).isEqualTo(400);
        given().baseUri(cluster.httpUrl()).get("/topics/ws-tail/ws").then().statusCode(426);
    }

    @Test
    void anOversizeMessageClosesTheSocket() throws Exception {
        try (SocketMessages socket = SocketMessages.open(socketUrl("ws-produce", "format=text"))) {
            String tooLarge = "{\"records\":[{\"value\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}]}";
            try {
                socket.send(tooLarge);
            } catch (CompletionException closedWhileSending) {
                // The gateway may close the socket before it has read the whole frame.
            }
            assertThat(socket.closed(WAIT).status()).isEqualTo(1009);
        }
    }

    /** The events live tails have handed over to be written, from the gateway's metrics. */
    private static double handedOver() {
        return given().baseUri(cluster.httpUrl()).get("/q/metrics").then().statusCode(200).extract().asString()
                .lines()
                .filter(line -> line.startsWith("sluice_http_stream_events_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aClientThatReadsNothingHoldsTheTailUpInsteadOfFillingTheGateway() throws Exception {
        int records = 10_000;
        try (KafkaProducer<String, String> producer = clients.producer(Map.of("linger.ms", 5))) {
            String value = "v".repeat(1_000);
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("ws-slow", 0, null, value));
            }
            producer.flush();
        }
        double before = handedOver();
        try (SocketMessages socket = SocketMessages.open(socketUrl("ws-slow", "from=earliest"), false)) {
            // About 14 MB of messages (1.4 KB each in base64), far more than the sockets' buffers hold (4 MB): the
            // tail must stop handing records over once the write queue is full.
            double[] last = { -1 };
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                double now = handedOver() - before;
                boolean settled = now > 0 && now == last[0];
                last[0] = now;
                return settled;
            });
            assertThat(last[0]).as("records handed over while the client read nothing").isLessThan(records * 0.6);

            socket.readOn();
            assertThat(socket.next(records, WAIT)).as("every record once the client reads").hasSize(records);
        }
    }
}
