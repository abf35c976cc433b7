package io.sluice.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The gateway's HTTP API against a real cluster: records produced over HTTP (the Strimzi bridge's bodies) are what a
 * Kafka consumer reads, records a Kafka producer wrote are what HTTP reads, and bad requests get a 4xx with the
 * bridge's error body while the gateway goes on serving.
 */
@SluiceCluster
class HttpApiIT {

    private static final String TEXT = "application/vnd.kafka.text.v2+json";
    private static final String BINARY = "application/vnd.kafka.binary.v2+json";
    private static final String JSON = "application/vnd.kafka.json.v2+json";

    static TestCluster cluster;
    static KafkaClients clients;

    @BeforeAll
    static void topics(Admin admin) throws Exception {
        admin.createTopics(List.of(
                // Records of http-text and http-read carry timestamps of 2023 and 1970: time-based retention would
                // delete them at its next check, as Kafka's does, maybe before the test reads them back (seen in CI).
                new NewTopic("http-text", 3, (short) 3).configs(Map.of("retention.ms", "-1")),
                new NewTopic("http-binary", 1, (short) 2),
                new NewTopic("http-keys", 5, (short) 1),
                new NewTopic("http-read", 2, (short) 3).configs(Map.of("retention.ms", "-1")),
                new NewTopic("http-poll", 1, (short) 1),
                new NewTopic("http-bad", 2, (short) 1),
                new NewTopic("http-sse", 2, (short) 3),
                new NewTopic("http-slow", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    private static RequestSpecification http() {
        return given().baseUri(cluster.httpUrl());
    }

    private static Response produce(String path, String contentType, String body) {
        return http().contentType(contentType).body(body.getBytes(StandardCharsets.UTF_8)).post(path);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String base64(String s) {
        return base64(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The status a request announcing a body of {@code length} bytes gets before sending any of it. */
    private static int statusOfAnnouncedBody(String path, int length) throws IOException {
        URI base = URI.create(cluster.httpUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nContent-Type: " + TEXT + "\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    private static void assertError(Response response, int status, String messagePart) {
        response.then().statusCode(status)
                .body("error_code", equalTo(status))
                .body("message", containsString(messagePart));
    }

    @Test
    void textRecordsProducedOverHttpAreReadByAKafkaConsumer() {
        String body = """
                {"records":[
                  {"key":"k1","value":"first","headers":[{"key":"trace","value":"%s"}]},
                  {"value":"second","partition":2},
                  {"key":"k1","value":"third"},
                  {"key":"k2","value":"fourth","timestamp":1700000000000}
                ]}""".formatted(base64("t-1"));

        JsonPath answer = produce("/topics/http-text", TEXT, body).then()
                .statusCode(200)
                .contentType("application/vnd.kafka.v2+json")
                .extract().jsonPath();

        List<Map<String, Object>> offsets = answer.getList("offsets");
        assertThat(offsets).hasSize(4).allSatisfy(o -> assertThat(o).containsKeys("partition", "offset")
                .doesNotContainKey("error_code"));
        assertThat(offsets.get(1).get("partition")).isEqualTo(2);
        assertThat(offsets.get(0).get("partition")).as("same key, same partition")
                .isEqualTo(offsets.get(2).get("partition"));
        List<ConsumerRecord<String, String>> read = clients.readAll("http-text", 3, 4, Duration.ofSeconds(30));
        assertThat(read).hasSize(4);
        for (int i = 0; i < 4; i++) {
            Map<String, Object> o = offsets.get(i);
            ConsumerRecord<String, String> r = read.stream()
                    .filter(c -> c.partition() == (int) o.get("partition")
                            && c.offset() == ((Number) o.get("offset")).longValue())
                    .findFirst().orElseThrow();
            assertThat(r.value()).isEqualTo(List.of("first", "second", "third", "fourth").get(i));
            assertThat(r.key()).isEqualTo(new String[] { "k1", null, "k1", "k2" }[i]);
        }
        ConsumerRecord<String, String> first = read.stream().filter(r -> "first".equals(r.value())).findFirst()
                .orElseThrow();
        assertThat(utf8(first.headers().lastHeader("trace").value())).isEqualTo("t-1");
        ConsumerRecord<String, String> fourth = read.stream().filter(r -> "fourth".equals(r.value())).findFirst()
                .orElseThrow();
        assertThat(fourth.timestamp()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void binaryAndJsonRecordsKeepTheirBytesAndReadBackInTheirFormat() {
        byte[] notUtf8 = { (byte) 0xff, 0, (byte) 0xc3, 0x28, 7 };
        produce("/topics/http-binary/partitions/0", BINARY,
                "{\"records\":[{\"key\":\"%s\",\"value\":\"%s\"}]}".formatted(base64("bk"), base64(notUtf8)))
                .then().statusCode(200).body("offsets[0].partition", equalTo(0)).body("offsets[0].offset", equalTo(0));
        produce("/topics/http-binary/partitions/0", JSON,
                "{\"records\":[{\"key\":{\"id\":7},\"value\":{\"name\":\"sluice\",\"tags\":[1,2]}},{\"value\":null}]}")
                .then().statusCode(200).body("offsets[1].offset", equalTo(2));

        List<ConsumerRecord<String, String>> read = clients.readAll("http-binary", 1, 3, Duration.ofSeconds(30));
        assertThat(read).hasSize(3);
        assertThat(read.get(0).value().getBytes(StandardCharsets.ISO_8859_1)).hasSize(5);
        assertThat(read.get(1).key()).isEqualTo("{\"id\":7}");
        assertThat(read.get(1).value()).isEqualTo("{\"name\":\"sluice\",\"tags\":[1,2]}");
        assertThat(read.get(2).value()).as("a JSON null value is a tombstone").isNull();

        JsonPath binary = http().get("/topics/http-binary/partitions/0/records?offset=0&max=1").then()
                .statusCode(200).extract().jsonPath();
        assertThat(Base64.getDecoder().decode(binary.getString("records[0].value"))).isEqualTo(notUtf8);
        assertThat(binary.getLong("nextOffset")).isEqualTo(1);
        JsonPath json = http().get("/topics/http-binary/partitions/0/records?offset=1&format=json").then()
                .statusCode(200).extract().jsonPath();
        assertThat(json.getInt("records[0].key.id")).isEqualTo(7);
        assertThat(json.getList("records[0].value.tags")).containsExactly(1, 2);
        assertThat(json.getString("records[1].value")).isNull();
        assertThat(json.getLong("nextOffset")).isEqualTo(3);
        assertError(http().get("/topics/http-binary/partitions/0/records?offset=0&format=json"), 406,
                "offset 0 is not JSON");
    }

    @Test
    void keyedHttpRecordsLandWhereTheJavaProducerPutsTheSameKeys() throws Exception {
        List<String> keys = new ArrayList<>();
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 40; i++) {
            keys.add("customer-" + i);
            body.append(i == 0 ? "" : ",").append("{\"key\":\"customer-").append(i).append("\",\"value\":\"h\"}");
        }
        List<Map<String, Object>> offsets = produce("/topics/http-keys", TEXT, body.append("]}").toString())
                .then().statusCode(200).extract().jsonPath().getList("offsets");

        try (KafkaProducer<String, String> producer = clients.producer()) {
            for (int i = 0; i < keys.size(); i++) {
                int javaPartition = producer.send(new ProducerRecord<>("http-keys", keys.get(i), "j"))
                        .get(30, TimeUnit.SECONDS).partition();
                assertThat(offsets.get(i).get("partition")).as(keys.get(i)).isEqualTo(javaPartition);
            }
        }
        assertThat(offsets.stream().map(o -> o.get("partition")).distinct()).as("keys spread").hasSizeGreaterThan(1);
    }

    @Test
    void recordsAKafkaProducerWroteAreReadOverHttpFromAnOffset() throws Exception {
        try (KafkaProducer<String, String> producer = clients.producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("http-read", 1, 1_000L + i, "key-" + i, "value-" + i,
                        List.of(new RecordHeader("n", ("h" + i).getBytes(StandardCharsets.UTF_8)))));
            }
            producer.flush();
        }

        JsonPath first = http().get("/topics/http-read/partitions/1/records?offset=0&max=4&format=text").then()
                .statusCode(200).extract().jsonPath();
        assertThat(first.getList("records.offset", Long.class)).containsExactly(0L, 1L, 2L, 3L);
        assertThat(first.getList("records.key")).containsExactly("key-0", "key-1", "key-2", "key-3");
        assertThat(first.getList("records.value")).containsExactly("value-0", "value-1", "value-2", "value-3");
        assertThat(first.getList("records.timestamp", Long.class)).containsExactly(1_000L, 1_001L, 1_002L, 1_003L);
        assertThat(first.getString("records[2].headers[0].key")).isEqualTo("n");
        assertThat(utf8(Base64.getDecoder().decode(first.getString("records[2].headers[0].value")))).isEqualTo("h2");
        assertThat(first.getLong("nextOffset")).isEqualTo(4);
        assertThat(first.getLong("highWatermark")).isEqualTo(10);

        JsonPath rest = http().get("/topics/http-read/partitions/1/records?offset=4&format=text").then()
                .statusCode(200).extract().jsonPath();
        assertThat(rest.getList("records.value")).containsExactly("value-4", "value-5", "value-6", "value-7",
                "value-8", "value-9");
        assertThat(rest.getLong("nextOffset")).isEqualTo(10);
        JsonPath small = http().get("/topics/http-read/partitions/1/records?offset=0&maxBytes=1&format=text").then()
                .statusCode(200).extract().jsonPath();
        assertThat(small.getList("records")).as("one record at least, however small maxBytes").hasSize(1);
        JsonPath empty = http().get("/topics/http-read/partitions/0/records?offset=0").then()
                .statusCode(200).extract().jsonPath();
        assertThat(empty.getList("records")).isEmpty();
        assertThat(empty.getLong("nextOffset")).isZero();
    }

    @Test
    void aLongPollAnswersWhenARecordArrives() throws Exception {
        long started = System.nanoTime();
        JsonPath nothing = http().get("/topics/http-poll/partitions/0/records?offset=0&wait=500").then()
                .statusCode(200).extract().jsonPath();
        assertThat(nothing.getList("records")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited").isGreaterThanOrEqualTo(
                Duration.ofMillis(400));

        CompletableFuture<JsonPath> polled = CompletableFuture.supplyAsync(
                () -> http().get("/topics/http-poll/partitions/0/records?offset=0&wait=25000&format=text").then()
                        .statusCode(200).extract().jsonPath());
        Thread.sleep(1_000);
        assertThat(polled).as("still waiting for a record").isNotDone();
        long sent = System.nanoTime();
        try (KafkaProducer<String, String> producer = clients.producer()) {
            producer.send(new ProducerRecord<>("http-poll", "arrived")).get(30, TimeUnit.SECONDS);
        }

        JsonPath answer = polled.get(20, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(5));
        assertThat(answer.getList("records.value")).containsExactly("arrived");
        assertThat(answer.getLong("nextOffset")).isEqualTo(1);
    }

    @Test
    void badProduceRequestsAreRefusedWholeWithTheBridgesErrorBody() throws Exception {
        assertError(produce("/topics/http-bad", JSON, "{\"records\":[{\"value\":1}"), 422, "not JSON");
        assertError(produce("/topics/http-bad", JSON, "[1,2]"), 422, "array of records");
        assertError(produce("/topics/http-bad", JSON, "{\"records\":[]}"), 422, "no records");
        assertError(produce("/topics/http-bad", JSON, "{\"records\":[{\"value\":1,\"vlaue\":2}]}"), 422,
                "unknown field 'vlaue'");
        assertError(produce("/topics/http-bad", BINARY, "{\"records\":[{\"value\":\"%%%\"}]}"), 422, "base64");
        assertError(produce("/topics/http-bad", TEXT, "{\"records\":[{\"value\":{\"a\":1}}]}"), 422, "string");
        assertError(produce("/topics/http-bad", JSON, "{\"records\":[{\"value\":1,\"partition\":-1}]}"), 422,
                "partition");
        assertError(produce("/topics/http-bad", JSON, "{\"records\":[{\"value\":1,\"headers\":{\"a\":\"b\"}}]}"), 422,
                "headers");
        assertError(produce("/topics/http-bad", JSON, "{\"records\":[{\"value\":1},{\"value\":2,\"partition\":7}]}"),
                404, "partition 7");
        assertError(produce("/topics/http-bad/partitions/9", JSON, "{\"records\":[{\"value\":1}]}"), 404,
                "partition 9");
        assertError(produce("/topics/http-bad/partitions/x", JSON, "{\"records\":[{\"value\":1}]}"), 400,
                "partition");
        assertError(produce("/topics/http-no-such-topic", JSON, "{\"records\":[{\"value\":1}]}"), 404,
                "http-no-such-topic does not exist");
        assertError(produce("/topics/http-bad", "text/plain", "hello"), 415, "");

        String tooMany = "{\"records\":[" + "{\"value\":1},".repeat(10_000) + "{\"value\":1}]}";
        assertError(produce("/topics/http-bad", JSON, tooMany), 413, "10001 records");
        String oversized = "{\"records\":[{\"value\":\"" + "x".repeat(1_100_000) + "\"}]}";
        assertError(produce("/topics/http-bad", TEXT, oversized), 413, "record 0");
        assertThat(statusOfAnnouncedBody("/topics/http-bad", 11 * 1024 * 1024)).as("a body over 10 MiB")
                .isEqualTo(413);

        assertThat(clients.readAll("http-bad", 2, 0, Duration.ofSeconds(1))).as("nothing of a refused request")
                .isEmpty();
        produce("/topics/http-bad", JSON, "{\"records\":[{\"value\":1}]}").then().statusCode(200)
                .body("offsets[0].offset", equalTo(0));
    }

    @Test
    void badReadsAreRefusedWithAClearBody() {
        assertError(http().get("/topics/http-bad/partitions/0/records"), 400, "offset is required");
        assertError(http().get("/topics/http-bad/partitions/0/records?offset=abc"), 400, "whole number");
        assertError(http().get("/topics/http-bad/partitions/0/records?offset=-1"), 400, "offset must be from 0");
        assertError(http().get("/topics/http-bad/partitions/0/records?offset=0&max=0"), 400, "max must be");
        assertError(http().get("/topics/http-bad/partitions/0/records?offset=0&maxBytes=999999999"), 400,
                "maxBytes must be");
        assertError(http().get("/topics/http-bad/partitions/0/records?offset=0&wait=3600000"), 400, "wait must be");
        assertError(http().get("/topics/http-bad/partitions/0/records?offset=0&format=xml"), 400, "format");
        assertError(http().get("/topics/http-bad/partitions/5/records?offset=0"), 404, "partition 5");
        assertError(http().get("/topics/http-nothing/partitions/0/records?offset=0"), 404, "does not exist");
        assertError(http().get("/topics/http-bad/partitions/1/records?offset=1000"), 416, "out of range");
        http().get("/topics").then().statusCode(200);
    }

    @Test
    void theLiveTailStreamsEveryRecordAndResumesExactlyAfterTheLastEventId() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (KafkaProducer<String, String> producer = clients.producer()) {
            for (String value : List.of("a0", "a1")) {
                producer.send(new ProducerRecord<>("http-sse", 0, "ka", value,
                        List.of(new RecordHeader("h", value.getBytes(StandardCharsets.UTF_8)))));
            }
            for (String value : List.of("b0", "b1")) {
                producer.send(new ProducerRecord<>("http-sse", 1, "kb", value));
            }
            producer.flush();
            String url = cluster.httpUrl() + "/topics/http-sse/stream?from=earliest&format=text";

            List<SseEvents.Event> first;
            try (SseEvents stream = SseEvents.open(url, null)) {
                first = stream.next(4, Duration.ofSeconds(30));
            }
            List<JsonNode> records = new ArrayList<>();
            for (SseEvents.Event event : first) {
                records.add(json.readTree(event.data()));
            }
            assertThat(records).extracting(r -> r.get("value").asText()).containsExactlyInAnyOrder("a0", "a1", "b0",
                    "b1");
            JsonNode a1 = records.stream().filter(r -> r.get("value").asText().equals("a1")).findFirst().orElseThrow();
            assertThat(a1.get("topic").asText()).isEqualTo("http-sse");
            assertThat(a1.get("partition").asInt()).isZero();
            assertThat(a1.get("offset").asLong()).isEqualTo(1);
            assertThat(a1.get("key").asText()).isEqualTo("ka");
            assertThat(a1.get("timestamp").asLong()).isPositive();
            assertThat(utf8(Base64.getDecoder().decode(a1.get("headers").get(0).get("value").asText())))
                    .isEqualTo("a1");
            assertThat(first.get(3).id()).as("every partition's next offset").isEqualTo("0:2,1:2");

            String resumeAt = first.get(1).id();
            producer.send(new ProducerRecord<>("http-sse", 0, "ka", "a2"));
            producer.send(new ProducerRecord<>("http-sse", 1, "kb", "b2"));
            producer.flush();
            List<String> seen = new ArrayList<>(records.subList(0, 2).stream().map(r -> r.get("value").asText())
                    .toList());
            try (SseEvents resumed = SseEvents.open(url.replace("earliest", "latest"), resumeAt)) {
                for (SseEvents.Event event : resumed.next(4, Duration.ofSeconds(30))) {
                    seen.add(json.readTree(event.data()).get("value").asText());
                }
                assertThat(seen).as("the first two, then exactly the rest").containsExactlyInAnyOrder("a0", "a1",
                        "a2", "b0", "b1", "b2");

                producer.send(new ProducerRecord<>("http-sse", 1, "kb", "live")).get(30, TimeUnit.SECONDS);
                SseEvents.Event live = resumed.next(1, Duration.ofSeconds(30)).get(0);
                assertThat(json.readTree(live.data()).get("value").asText()).isEqualTo("live");
                assertThat(live.id()).isEqualTo("0:3,1:4");
                assertThat(resumed.poll(Duration.ofMillis(500))).as("nothing more").isNull();
            }
        }
    }

    @Test
    void badStreamRequestsAreRefusedBeforeStreaming() {
        assertError(http().get("/topics/http-no-such-topic/stream"), 404, "does not exist");
        assertError(http().get("/topics/http-sse/stream?from=yesterday"), 400, "from");
        assertError(http().get("/topics/http-sse/stream?partition=7"), 404, "partition 7");
        assertError(http().header("Last-Event-ID", "nonsense").get("/topics/http-sse/stream"), 400, "Last-Event-ID");
        assertError(http().get("/topics/http-sse/stream?format=xml"), 400, "format");
    }

    /** The events live tails have handed over to be written, from the gateway's metrics. */
    private static double streamedEvents() {
        return http().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("sluice_http_stream_events_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aReaderThatDoesNotReadHoldsUpTheTailInsteadOfFillingTheGateway() throws Exception {
        int records = 10_000;
        byte[] value = new byte[1_000];
        try (KafkaProducer<String, String> producer = clients.producer(Map.of("linger.ms", 5))) {
            String text = new String(value, StandardCharsets.ISO_8859_1);
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("http-slow", 0, null, text));
            }
            producer.flush();
        }
        double before = streamedEvents();
        URI base = URI.create(cluster.httpUrl());
        try (Socket socket = new Socket()) {
            // About 10 MB of events (1.4 KB each in base64): far more than the sockets' buffers hold (4 MB).
            socket.setReceiveBufferSize(8 * 1024);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            socket.getOutputStream().write(("GET /topics/http-slow/stream?from=earliest HTTP/1.1\r\nHost: "
                    + base.getHost() + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(4_000);
            double handedOverWhileNotReading = streamedEvents() - before;
            assertThat(handedOverWhileNotReading).as("events handed over while the reader read nothing")
                    .isGreaterThan(0)
                    .isLessThan(records * 0.6);

            socket.setSoTimeout(30_000);
            BufferedReader lines = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            int events = 0;
            while (events < records) {
                String line = lines.readLine();
                assertThat(line).as("the stream ended after %d events", events).isNotNull();
                if (line.startsWith("data:")) {
                    events++;
                }
            }
            assertThat(events).as("every record once the reader reads").isEqualTo(records);
        }
    }
}
