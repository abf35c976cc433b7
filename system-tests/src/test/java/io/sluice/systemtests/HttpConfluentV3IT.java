package io.sluice.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Confluent REST Proxy v3's topic and produce paths on the gateway, checked with a real Admin client and consumer:
 * Confluent's bodies ({@code kind}, {@code metadata.self}), delivery reports, and its error body on bad requests.
 */
@SluiceCluster
class HttpConfluentV3IT {

    static TestCluster cluster;
    static KafkaClients clients;
    static Admin admin;
    static String clusterUrl;

    @BeforeAll
    static void topics() throws Exception {
        admin.createTopics(List.of(new NewTopic("v3-records", 2, (short) 2), new NewTopic("v3-stream", 1, (short) 2),
                new NewTopic("v3-stream-ends", 1, (short) 2)))
                .all().get(30, TimeUnit.SECONDS);
        String clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        clusterUrl = "/v3/clusters/" + clusterId;
    }

    private static RequestSpecification http() {
        return given().baseUri(cluster.httpUrl());
    }

    /** Posts as Confluent's clients do, the path as it is ({@code configs:alter} with its colon). */
    private static Response post(String path, String body) {
        return http().urlEncodingEnabled(false).contentType(ContentType.JSON).body(body).post(clusterUrl + path);
    }

    private static void assertError(Response response, int status, String messagePart) {
        response.then().statusCode(status)
                .body("error_code", equalTo(status))
                .body("message", containsString(messagePart));
    }

    /** A body of concatenated delivery reports, one JSON object each. */
    private static List<JsonNode> reports(Response response) throws Exception {
        return new ObjectMapper().readerFor(JsonNode.class).<JsonNode> readValues(response.asByteArray()).readAll();
    }

    @Test
    void aTopicIsCreatedListedDescribedReconfiguredAndDeletedOnTheV3Paths() throws Exception {
        JsonPath clusters = http().get("/v3/clusters").then().statusCode(200).extract().jsonPath();
        assertThat(clusters.getString("kind")).isEqualTo("KafkaClusterList");
        assertThat(clusters.getString("data[0].metadata.self")).endsWith(clusterUrl);
        http().get(clusterUrl).then().statusCode(200).body("kind", equalTo("KafkaCluster"));

        post("/topics", "{\"topic_name\":\"v3-admin\",\"partitions_count\":3,\"replication_factor\":2,"
                + "\"configs\":[{\"name\":\"retention.ms\",\"value\":\"3600000\"}]}").then()
                .statusCode(201)
                .body("kind", equalTo("KafkaTopic"))
                .body("metadata.self", containsString(clusterUrl + "/topics/v3-admin"))
                .body("partitions_count", equalTo(3))
                .body("replication_factor", equalTo(2));
        TopicDescription described = admin.describeTopics(List.of("v3-admin")).allTopicNames()
                .get(30, TimeUnit.SECONDS).get("v3-admin");
        assertThat(described.partitions()).hasSize(3);
        assertThat(described.partitions().get(0).replicas()).hasSize(2);

        http().get(clusterUrl + "/topics").then().statusCode(200)
                .body("kind", equalTo("KafkaTopicList"))
                .body("data.topic_name", hasItem("v3-admin"));
        http().get(clusterUrl + "/topics/v3-admin").then().statusCode(200).body("partitions_count", equalTo(3));
        // A partition has no leader until the coordinator's view reaches the gateway, a moment after the creation.
        JsonPath partitions = await().atMost(Duration.ofSeconds(20)).until(() -> http()
                .get(clusterUrl + "/topics/v3-admin/partitions").then().statusCode(200).extract().jsonPath(),
                listed -> listed.getList("data.leader").stream().allMatch(Objects::nonNull));
        assertThat(partitions.getString("kind")).isEqualTo("KafkaPartitionList");
        assertThat(partitions.getList("data.partition_id", Integer.class)).containsExactly(0, 1, 2);
        assertThat(partitions.getString("data[1].leader.related")).contains("/topics/v3-admin/partitions/1/replicas/");
        JsonPath configs = http().get(clusterUrl + "/topics/v3-admin/configs").then().statusCode(200).extract()
                .jsonPath();
        assertThat(configs.getString("kind")).isEqualTo("KafkaTopicConfigList");
        assertThat(configs.getString("data.find { it.name == 'retention.ms' }.value")).isEqualTo("3600000");
        assertThat(configs.getString("data.find { it.name == 'retention.ms' }.source"))
                .isEqualTo("DYNAMIC_TOPIC_CONFIG");
        assertThat(configs.getBoolean("data.find { it.name == 'cleanup.policy' }.is_default")).isTrue();

        post("/topics/v3-admin/configs:alter", "{\"data\":[{\"name\":\"retention.ms\",\"operation\":\"DELETE\"},"
                + "{\"name\":\"cleanup.policy\",\"value\":\"compact\"}]}").then().statusCode(204);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "v3-admin");
        Config changed = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        assertThat(changed.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(changed.get("retention.ms").isDefault()).as("deleted: back to its default").isTrue();

        http().delete(clusterUrl + "/topics/v3-admin").then().statusCode(204);
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("v3-admin");
    }

    @Test
    void recordsProducedOnTheV3PathAreReadByAKafkaConsumerWithADeliveryReportEach() throws Exception {
        JsonPath report = post("/topics/v3-records/records", """
                {"partition_id":1,"headers":[{"name":"trace","value":"dC0x"}],
                 "key":{"type":"STRING","data":"customer-7"},"value":{"type":"JSON","data":{"total":12.5}},
                 "timestamp":"2026-12-01T18:00:00Z"}""").then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract().jsonPath();
        assertThat(report.getInt("error_code")).isEqualTo(200);
        assertThat(report.getString("topic_name")).isEqualTo("v3-records");
        assertThat(report.getInt("partition_id")).isEqualTo(1);
        assertThat(report.getLong("offset")).isZero();
        assertThat(report.getString("timestamp")).isEqualTo("2026-12-01T18:00:00Z");
        assertThat(report.getString("key.type")).isEqualTo("STRING");
        assertThat(report.getInt("key.size")).isEqualTo(10);

        List<JsonNode> reports = reports(post("/topics/v3-records/records", """
                {"value":{"type":"BINARY","data":"aGk="},"partition_id":0}
                {"value":{"type":"BINARY","data":"%%%"}}
                {"value":{"type":"STRING","data":"lost"},"partition_id":9}
                {"key":{"type":"STRING","data":"k"},"value":{"type":"STRING","data":"last"},"partition_id":1}"""));
        assertThat(reports).extracting(r -> r.get("error_code").asInt()).containsExactly(200, 422, 404, 200);
        assertThat(reports.get(1).get("message").asText()).contains("base64");
        assertThat(reports.get(3).get("offset").asLong()).isEqualTo(1);

        List<ConsumerRecord<String, String>> read = clients.readAll("v3-records", 2, 3, Duration.ofSeconds(30));
        assertThat(read).hasSize(3);
        ConsumerRecord<String, String> first = read.stream().filter(r -> "customer-7".equals(r.key())).findFirst()
                .orElseThrow();
        assertThat(first.value()).isEqualTo("{\"total\":12.5}");
        assertThat(first.timestamp()).isEqualTo(Instant.parse("2026-12-01T18:00:00Z").toEpochMilli());
        assertThat(new String(first.headers().lastHeader("trace").value(), StandardCharsets.UTF_8)).isEqualTo("t-1");
        assertThat(read).extracting(ConsumerRecord::value).contains("last").doesNotContain("lost");
        assertThat(read.stream().filter(r -> r.partition() == 0).findFirst().orElseThrow().value())
                .as("base64 of hi").isEqualTo("hi");
    }

    /** Confluent's streaming mode: each record's report comes before the next record is sent. */
    @Test
    void recordsStreamedInAChunkedRequestAreReportedOneByOneAsTheyAreStored() throws Exception {
        try (ChunkedRequest stream = new ChunkedRequest(URI.create(cluster.httpUrl() + clusterUrl
                + "/topics/v3-stream/records"), "application/json")) {
            assertThat(stream.status()).as("answered before any record").isEqualTo(200);

            stream.send("{\"value\":{\"type\":\"STRING\",\"data\":\"first\"}}");
            JsonNode first = json(stream.nextLine());
            stream.send("{\"value\":{\"type\":\"STRING\",\"data\":\"x\"},\"colour\":\"red\"}\n");
            JsonNode refused = json(stream.nextLine());
            stream.send("{\"key\":{\"type\":\"STRING\",\"data\":\"k\"},\"value\":{\"type\":");
            stream.send("\"STRING\",\"data\":\"second, in two chunks\"}}");
            JsonNode second = json(stream.nextLine());
            stream.end();

            assertThat(stream.nextLine()).as("the answer ends with the request").isNull();
            assertThat(first.get("error_code").asInt()).isEqualTo(200);
            assertThat(first.get("offset").asLong()).isZero();
            assertThat(refused.get("error_code").asInt()).isEqualTo(422);
            assertThat(refused.get("message").asText()).contains("colour");
            assertThat(second.get("error_code").asInt()).isEqualTo(200);
            assertThat(second.get("offset").asLong()).isEqualTo(1);
        }
        assertThat(clients.readAll("v3-stream", 1, 2, Duration.ofSeconds(30))).extracting(ConsumerRecord::value)
                .containsExactly("first", "second, in two chunks");
    }

    @Test
    void aStreamThatIsNotJsonOrHasAnOversizedRecordIsReportedAndEnded() throws Exception {
        for (String bad : List.of("{\"value\":{\"type\":\"STRING\",\"data\":\"kept\"}} {not json",
                "{\"value\":{\"type\":\"STRING\",\"data\":\"kept\"}} {\"value\":\"" + "x".repeat(1_600_000))) {
            try (ChunkedRequest stream = new ChunkedRequest(URI.create(cluster.httpUrl() + clusterUrl
                    + "/topics/v3-stream-ends/records"), "application/json")) {
                assertThat(stream.status()).isEqualTo(200);
                stream.send(bad);

                assertThat(json(stream.nextLine()).get("error_code").asInt()).as("the record before").isEqualTo(200);
                JsonNode last = json(stream.nextLine());
                assertThat(last.get("error_code").asInt()).isEqualTo(bad.endsWith("json") ? 400 : 413);
                assertThat(stream.nextLine()).as("the answer ends though the request has not").isNull();
            }
        }
        assertThat(http().get(clusterUrl + "/topics/v3-stream-ends").statusCode()).as("still serving").isEqualTo(200);
    }

    private static JsonNode json(String line) throws Exception {
        assertThat(line).isNotNull();
        return new ObjectMapper().readTree(line);
    }

    @Test
    void badV3RequestsGetConfluentsErrorBodyAndTheRightStatus() {
        assertError(http().get("/v3/clusters/no-such-cluster/topics"), 404, "cluster no-such-cluster");
        assertError(http().get(clusterUrl + "/topics/v3-no-such-topic"), 404, "does not exist");
        assertError(http().get(clusterUrl + "/topics/v3-records/partitions/7"), 404, "partition 7");
        assertError(http().get(clusterUrl + "/topics/v3-records/partitions/x"), 400, "partition_id");
        assertError(post("/topics", "{\"topic_name\":"), 400, "not JSON");
        assertError(post("/topics", "{\"topic_name\":\"v3-bad\",\"partitions_count\":\"many\"}"), 422,
                "partitions_count");
        assertError(post("/topics", "{\"topic_name\":\"v3-records\"}"), 409, "already exists");
        assertError(post("/topics/v3-records/configs:alter", "{\"data\":[{\"name\":\"retention.ms\","
                + "\"operation\":\"UPSERT\"}]}"), 422, "SET or DELETE");
        assertError(post("/topics/v3-records/configs:alter", "{\"data\":[{\"name\":\"no.such.config\","
                + "\"value\":\"1\"}]}"), 422, "no.such.config");
        assertError(post("/topics/v3-no-such-topic/records", "{\"value\":{\"type\":\"STRING\",\"data\":\"x\"}}"),
                404, "does not exist");
        assertError(post("/topics/v3-records/records", "{\"value\":"), 400, "not JSON");
        assertError(post("/topics/v3-records/records", "{\"value\":{\"type\":\"AVRO\",\"data\":1}}"), 422,
                "BINARY, JSON or STRING");
        assertError(post("/topics/v3-records/records", "{\"value\":{\"type\":\"STRING\",\"data\":\""
                + "x".repeat(1_100_000) + "\"}}"), 413, "bytes");
        http().get("/v3/clusters").then().statusCode(200);
    }
}
