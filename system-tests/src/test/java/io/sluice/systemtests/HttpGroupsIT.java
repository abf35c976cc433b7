package io.sluice.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * Consumer groups over HTTP against a group of real Kafka consumers: listed and described with their members and
 * assignments, their lag per partition, offsets reset as kafka-consumer-groups resets them (refused while members
 * are there), deleted; errors as RFC 9457 problem details.
 */
@SluiceCluster
class HttpGroupsIT {

    static TestCluster cluster;
    static KafkaClients clients;
    static Admin admin;

    @BeforeAll
    static void topic() throws Exception {
        admin.createTopics(List.of(new NewTopic("grp-http", 2, (short) 2))).all().get(30, TimeUnit.SECONDS);
        try (KafkaProducer<String, String> producer = clients.producer()) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("grp-http", 0, null, "p0-" + i));
                producer.send(new ProducerRecord<>("grp-http", 1, null, "p1-" + i));
            }
            producer.flush();
        }
    }

    private static RequestSpecification http() {
        return given().baseUri(cluster.httpUrl());
    }

    private static Response reset(String group, String body) {
        return http().contentType(ContentType.JSON).body(body).post("/groups/" + group + "/offsets/reset");
    }

    private static void assertProblem(Response response, int status, String detailPart) {
        response.then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("type", equalTo("about:blank"))
                .body("detail", containsString(detailPart));
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aGroupIsListedDescribedItsLagShownItsOffsetsResetAndItIsDeleted() throws Exception {
        String group = "grp-http-app";
        try (KafkaConsumer<String, String> consumer = clients.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.CLIENT_ID_CONFIG, "grp-client"))) {
            consumer.subscribe(List.of("grp-http"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 2;
            });
            consumer.commitSync(Map.of(new TopicPartition("grp-http", 0), new OffsetAndMetadata(3),
                    new TopicPartition("grp-http", 1), new OffsetAndMetadata(5)));

            JsonPath listed = http().get("/groups").then().statusCode(200).extract().jsonPath();
            assertThat(listed.getString("groups.find { it.group == '" + group + "' }.state")).isEqualTo("Stable");
            assertThat(listed.getString("groups.find { it.group == '" + group + "' }.protocolType"))
                    .isEqualTo("consumer");
            JsonPath described = http().get("/groups/" + group).then().statusCode(200).extract().jsonPath();
            assertThat(described.getString("state")).isEqualTo("Stable");
            assertThat(described.getString("protocol")).isNotEmpty();
            assertThat(described.getList("members")).hasSize(1);
            assertThat(described.getString("members[0].clientId")).isEqualTo("grp-client");
            assertThat(described.getString("members[0].assignments[0].topic")).isEqualTo("grp-http");
            assertThat(described.getList("members[0].assignments[0].partitions", Integer.class)).containsExactly(0, 1);

            JsonPath lag = http().get("/groups/" + group + "/lag").then().statusCode(200).extract().jsonPath();
            assertThat(lag.getList("partitions.partition", Integer.class)).containsExactly(0, 1);
            assertThat(lag.getList("partitions.committedOffset", Long.class)).containsExactly(3L, 5L);
            assertThat(lag.getList("partitions.logEndOffset", Long.class)).containsExactly(5L, 5L);
            assertThat(lag.getList("partitions.lag", Long.class)).containsExactly(2L, 0L);

            assertProblem(reset(group, "{\"topic\":\"grp-http\",\"to\":\"earliest\"}"), 409, "Stable");
            assertProblem(http().delete("/groups/" + group), 409, "members");
        }

        JsonPath done = reset(group, "{\"topic\":\"grp-http\",\"partitions\":[0],\"to\":\"earliest\"}").then()
                .statusCode(200).extract().jsonPath();
        assertThat(done.getLong("offsets[0].previousOffset")).isEqualTo(3);
        assertThat(done.getLong("offsets[0].offset")).isZero();
        assertThat(committed(group).get(new TopicPartition("grp-http", 0)).offset()).isZero();
        assertThat(committed(group).get(new TopicPartition("grp-http", 1)).offset()).as("not named: untouched")
                .isEqualTo(5);
        reset(group, "{\"topic\":\"grp-http\",\"to\":\"offset\",\"offset\":100}").then().statusCode(200)
                .body("offsets.offset", equalTo(List.of(5, 5)));
        reset(group, "{\"topic\":\"grp-http\",\"to\":\"timestamp\",\"timestamp\":\"2000-01-01T00:00:00Z\"}").then()
                .statusCode(200).body("offsets.offset", equalTo(List.of(0, 0)));
        assertThat(committed(group).values()).extracting(OffsetAndMetadata::offset).containsOnly(0L);
        http().get("/groups/" + group).then().statusCode(200).body("state", equalTo("Empty"));

        http().delete("/groups/" + group).then().statusCode(204);
        assertProblem(http().get("/groups/" + group), 404, "does not exist");
    }

    @Test
    void aGroupOfTheConsumerGroupProtocolIsDescribedWithItsAssignment() {
        String group = "grp-http-kip848";
        try (KafkaConsumer<String, String> consumer = clients.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.CLIENT_ID_CONFIG, "kip848-client", ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"))) {
            consumer.subscribe(List.of("grp-http"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 2;
            });

            JsonPath described = http().get("/groups/" + group).then().statusCode(200).extract().jsonPath();
            assertThat(described.getString("state")).isEqualTo("Stable");
            assertThat(described.getString("protocolType")).isEqualTo("consumer");
            assertThat(described.getString("protocol")).isEqualTo("uniform");
            assertThat(described.getString("members[0].clientId")).isEqualTo("kip848-client");
            assertThat(described.getString("members[0].assignments[0].topic")).isEqualTo("grp-http");
            assertThat(described.getList("members[0].assignments[0].partitions", Integer.class)).containsExactly(0, 1);
            assertProblem(reset(group, "{\"topic\":\"grp-http\",\"to\":\"earliest\"}"), 409, "Stable");
        }
    }

    @Test
    void badGroupRequestsGetProblemDetails() {
        assertProblem(http().get("/groups/grp-no-such-group"), 404, "does not exist");
        assertProblem(http().get("/groups/grp-no-such-group/lag"), 404, "does not exist");
        assertProblem(http().delete("/groups/grp-no-such-group"), 404, "does not exist");
        assertProblem(reset("grp-bad", "{\"topic\":"), 400, "not JSON");
        assertProblem(reset("grp-bad", "{\"topic\":\"grp-http\",\"to\":\"yesterday\"}"), 422, "earliest");
        assertProblem(reset("grp-bad", "{\"topic\":\"grp-http\",\"to\":\"offset\"}"), 422, "offset");
        assertProblem(reset("grp-bad", "{\"topic\":\"grp-http\",\"to\":\"earliest\",\"partitions\":\"all\"}"), 422,
                "partitions");
        assertProblem(reset("grp-bad", "{\"topic\":\"grp-no-such-topic\",\"to\":\"earliest\"}"), 404,
                "does not exist");
        assertProblem(reset("grp-bad", "{\"topic\":\"grp-http\",\"partitions\":[9],\"to\":\"latest\"}"), 404,
                "partition 9");
        http().get("/groups").then().statusCode(200);
    }
}
