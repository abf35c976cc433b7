package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Large HTTP request bodies, many at once: the gateway holds at most its budget of bodies
 * ({@code sluice_http_held_body_bytes}), makes the others wait instead of running out of heap, and stores every record
 * in batches the topic takes, as a Kafka producer would split them.
 */
@SluiceCluster
class HttpLargeBodiesIT {

    private static final String BINARY = "application/vnd.kafka.binary.v2+json";
    /** More than the gateway's 256 MiB heap, together: without the budget it ran out of memory and died. */
    private static final int BODIES = 32;
    private static final int RECORDS_PER_BODY = 9;
    private static final int RECORD_BYTES = 700_000;
    /** Within the tails the system tests' gateways allow (40), less a few earlier classes may still hold. */
    private static final int SOCKETS = 34;

    static TestCluster cluster;
    static String clusterId;

    @BeforeAll
    static void topics(Admin admin) throws Exception {
        admin.createTopics(List.of(new NewTopic("large-bodies", 3, (short) 3),
                new NewTopic("small-batches", 1, (short) 3).configs(Map.of("max.message.bytes", "10000")),
                new NewTopic("large-streams", 1, (short) 3), new NewTopic("large-sockets", 2, (short) 3)))
                .all().get(30, TimeUnit.SECONDS);
        clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
    }

    @Test
    void manyLargeBodiesAtOnceWaitTheirTurnAndAreAllStored() throws Exception {
        byte[] body = records(RECORDS_PER_BODY, RECORD_BYTES).getBytes(StandardCharsets.UTF_8);
        long budget = (long) metric("sluice_http_held_body_budget_bytes");
        AtomicLong mostHeld = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> mostHeld.accumulateAndGet((long) metric("sluice_http_held_body_bytes"),
                Math::max), 0, 50, TimeUnit.MILLISECONDS);
        List<HttpResponse<String>> answers = new ArrayList<>();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            HttpRequest post = HttpRequest.newBuilder(URI.create(cluster.httpUrl() + "/topics/large-bodies"))
                    .header("Content-Type", BINARY).timeout(Duration.ofMinutes(3))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < BODIES; i++) {
                sent.add(client.sendAsync(post, HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> answer : sent) {
                answers.add(answer.get(4, TimeUnit.MINUTES));
            }
        } finally {
            sampler.shutdownNow();
        }

        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonPath offsets = JsonPath.from(answer.body());
            assertThat(offsets.getList("offsets.error_code")).as(answer.body()).containsOnlyNulls();
            List<Long> stored = offsets.getList("offsets.offset", Long.class);
            assertThat(stored).hasSize(RECORDS_PER_BODY);
            assertThat(stored.get(RECORDS_PER_BODY - 1) - stored.get(0)).as("one partition, in order")
                    .isEqualTo(RECORDS_PER_BODY - 1);
        }
        assertThat(endOffsets("large-bodies")).isEqualTo((long) BODIES * RECORDS_PER_BODY);
        assertThat(mostHeld.get()).as("bodies held at once").isPositive().isLessThanOrEqualTo(budget);
        assertThat(metric("sluice_http_held_body_bytes")).isZero();
    }

    /**
     * WebSocket messages of nearly the 2 MiB limit on many sockets at once, each of two records too large to share a
     * batch: every one is produced, once the budget holds it, and answered. (Without the budget this many did not
     * exhaust the heap: it bounds their parsing, while Vert.x holds the messages themselves.) The sockets tail the
     * other partition, so their tails carry none of these records.
     */
    @Test
    void manySocketsProducingLargeMessagesAtOnceAreAllAnswered() throws Exception {
        String message = "{\"records\":[" + record(700_000).replace("{", "{\"partition\":0,") + ","
                + record(700_001).replace("{", "{\"partition\":0,") + "]}";
        List<SocketMessages> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < SOCKETS; i++) {
                sockets.add(SocketMessages.open(cluster.httpUrl() + "/topics/large-sockets/ws?partition=1"));
            }
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (SocketMessages socket : sockets) {
                sent.add(CompletableFuture.runAsync(() -> socket.send(message)));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            for (SocketMessages socket : sockets) {
                JsonNode produced = socket.nextOf("produced", Duration.ofMinutes(2));
                assertThat(produced.path("offsets").findValues("error_code")).as(produced.toString()).isEmpty();
                assertThat(produced.path("offsets").findValues("offset")).hasSize(2);
            }
        } finally {
            sockets.forEach(SocketMessages::close);
        }
        assertThat(endOffsets("large-sockets")).isEqualTo(2L * SOCKETS);
    }

    /** Records that fit the topic's max.message.bytes one by one, but not together, are stored in smaller batches. */
    @Test
    void recordsTooManyForOneBatchOfTheTopicAreSplitAndAnOversizedOneIsRefusedAlone() {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(record(900));
        }
        records.add(record(20_000));
        JsonPath answer = RestAssured.given().baseUri(cluster.httpUrl()).contentType(BINARY)
                .body("{\"records\":[" + String.join(",", records) + "]}").post("/topics/small-batches")
                .then().statusCode(200).extract().jsonPath();

        List<Long> stored = answer.getList("offsets.offset", Long.class);
        assertThat(stored.subList(0, 20)).isEqualTo(LongStream.range(0, 20).boxed().toList());
        assertThat(answer.getInt("offsets[20].error_code")).isEqualTo(413);
        assertThat(answer.getString("offsets[20].message")).contains("MESSAGE_TOO_LARGE");
        assertThat(endOffsets("small-batches")).isEqualTo(20);
    }

    /**
     * A streaming produce holds room for its largest record for as long as it streams, so one that finds the budget
     * spent is refused (429), not kept waiting for streams that may never end; its room comes back when one ends.
     */
    @Test
    void streamsBeyondTheBodyBudgetAreRefusedUntilOneEnds() throws Exception {
        URI uri = URI.create(cluster.httpUrl() + "/v3/clusters/" + clusterId + "/topics/large-streams/records");
        List<ChunkedRequest> open = new ArrayList<>();
        try {
            int status;
            do {
                ChunkedRequest stream = new ChunkedRequest(uri, "application/json");
                open.add(stream);
                status = stream.status();
            } while (status == 200 && open.size() < 40);
            assertThat(status).as("stream " + open.size()).isEqualTo(429);
            assertThat(open.size()).as("streams admitted, with room for a 1 MiB record each").isBetween(3, 20);

            ChunkedRequest first = open.get(0);
            first.send("{\"value\":{\"type\":\"STRING\",\"data\":\"one\"}}");
            assertThat(first.nextLine()).contains("\"error_code\":200");
            first.end();
            assertThat(first.nextLine()).isNull();
            try (ChunkedRequest again = new ChunkedRequest(uri, "application/json")) {
                assertThat(again.status()).isEqualTo(200);
            }
        } finally {
            for (ChunkedRequest stream : open) {
                stream.close();
            }
        }
    }

    private static String records(int count, int bytes) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(record(bytes));
        }
        return "{\"records\":[" + String.join(",", records) + "]}";
    }

    private static String record(int bytes) {
        byte[] value = new byte[bytes];
        new Random(bytes).nextBytes(value);
        return "{\"value\":\"" + Base64.getEncoder().encodeToString(value) + "\"}";
    }

    private static long endOffsets(String topic) {
        return RestAssured.given().baseUri(cluster.httpUrl()).get("/topics/" + topic).then().statusCode(200)
                .extract().jsonPath().getList("partitions.end_offset", Long.class).stream()
                .mapToLong(Long::longValue).sum();
    }

    private static double metric(String name) {
        return RestAssured.given().baseUri(cluster.httpUrl()).get("/q/metrics").then().statusCode(200).extract()
                .asString().lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
