package io.sluice.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/** Topic administration over the gateway's HTTP API, checked with a real Admin client. */
@SluiceCluster
class HttpTopicsIT {

    static TestCluster cluster;
    static Admin admin;

    private static RequestSpecification http() {
        return given().baseUri(cluster.httpUrl());
    }

    private static Response post(String body) {
        return http().contentType(ContentType.JSON).body(body).post("/topics");
    }

    private static Response patch(String topic, String body) {
        return http().contentType(ContentType.JSON).body(body).patch("/topics/" + topic + "/configs");
    }

    private static Config configs(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
    }

    private static void assertError(Response response, int status, String messagePart) {
        response.then().statusCode(status)
                .body("error_code", equalTo(status))
                .body("message", containsString(messagePart));
    }

    @Test
    void aTopicIsCreatedDescribedReconfiguredAndDeletedOverHttp() throws Exception {
        post("{\"name\":\"http-admin\",\"partitions\":3,\"replicationFactor\":2,"
                + "\"configs\":{\"retention.ms\":\"3600000\"}}").then()
                .statusCode(201)
                .header("Location", containsString("/topics/http-admin"))
                .body("name", equalTo("http-admin"))
                .body("partitions", equalTo(3))
                .body("replicationFactor", equalTo(2));

        TopicDescription described = admin.describeTopics(List.of("http-admin")).allTopicNames()
                .get(30, TimeUnit.SECONDS).get("http-admin");
        assertThat(described.partitions()).hasSize(3);
        assertThat(described.partitions().get(0).replicas()).hasSize(2);
        assertThat(configs("http-admin").get("retention.ms").value()).isEqualTo("3600000");

        http().contentType("application/vnd.kafka.text.v2+json")
                .body("{\"records\":[{\"value\":\"a\"},{\"value\":\"b\"},{\"value\":\"c\"}]}")
                .post("/topics/http-admin/partitions/1").then()
                .statusCode(200)
                .body("offsets.offset", equalTo(List.of(0, 1, 2)));

        JsonPath topic = http().get("/topics/http-admin").then().statusCode(200).extract().jsonPath();
        assertThat(topic.getString("id")).isEqualTo(described.topicId().toString());
        assertThat(topic.getInt("replicationFactor")).isEqualTo(2);
        assertThat(topic.getString("configs.'retention.ms'")).isEqualTo("3600000");
        assertThat(topic.getList("partitions.partition")).containsExactly(0, 1, 2);
        assertThat(topic.getList("partitions.beginning_offset")).containsExactly(0, 0, 0);
        assertThat(topic.getList("partitions.end_offset")).containsExactly(0, 3, 0);
        List<Map<String, Object>> replicas = topic.getList("partitions[1].replicas");
        assertThat(replicas).hasSize(2).filteredOn(r -> (boolean) r.get("leader")).singleElement()
                .satisfies(r -> assertThat(r.get("broker")).isEqualTo(topic.getInt("partitions[1].leader")));
        http().get("/topics").then().statusCode(200).body("$", hasItem("http-admin"));
        http().get("/topics/http-admin/partitions/1/offsets").then().statusCode(200)
                .body("beginning_offset", equalTo(0))
                .body("end_offset", equalTo(3));
        http().get("/topics/http-admin/partitions/2").then().statusCode(200).body("partition", equalTo(2));

        patch("http-admin", "{\"retention.ms\":7200000,\"cleanup.policy\":\"compact\"}").then().statusCode(204);
        assertThat(configs("http-admin").get("retention.ms").value()).isEqualTo("7200000");
        assertThat(configs("http-admin").get("cleanup.policy").value()).isEqualTo("compact");
        patch("http-admin", "{\"cleanup.policy\":null}").then().statusCode(204);
        assertThat(configs("http-admin").get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(configs("http-admin").get("retention.ms").value()).isEqualTo("7200000");

        http().delete("/topics/http-admin").then().statusCode(204);
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("http-admin");
        assertError(http().get("/topics/http-admin"), 404, "does not exist");
        assertError(http().delete("/topics/http-admin"), 404, "does not exist");
    }

    @Test
    void refusalsCarryTheStatusOfTheirKafkaError() throws Exception {
        admin.createTopics(List.of(new NewTopic("http-admin-existing", 1, (short) 1))).all()
                .get(30, TimeUnit.SECONDS);

        assertError(post("{\"name\":\"http-admin-existing\"}"), 409, "TOPIC_ALREADY_EXISTS");
        assertError(post("{\"name\":\"http-admin-rf\",\"replicationFactor\":4}"), 422, "INVALID_REPLICATION_FACTOR");
        assertError(post("{\"name\":\"bad name!\"}"), 422, "INVALID_TOPIC_EXCEPTION");
        assertError(post("{\"name\":\"http-admin-config\",\"configs\":{\"no.such.config\":\"1\"}}"), 422,
                "INVALID_CONFIG");
        assertError(post("{\"name\":\"http-admin-zero\",\"partitions\":0}"), 422, "partitions must be 1 or more");
        assertError(post("{\"partitions\":1}"), 422, "needs a name");
        assertError(post("{\"name\":\"http-admin-typo\",\"partition\":1}"), 422, "partition");
        assertError(post("{\"name\":"), 422, "the body must be");
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                .noneMatch(name -> name.startsWith("http-admin-") && !name.equals("http-admin-existing"));

        assertError(patch("http-admin-nothing", "{\"retention.ms\":\"1\"}"), 404, "does not exist");
        assertError(patch("http-admin-existing", "{\"retention.ms\":\"soon\"}"), 422, "INVALID_CONFIG");
        assertError(patch("http-admin-existing", "[1]"), 422, "object of configs");
        assertError(patch("http-admin-existing", "{\"retention.ms\":{\"a\":1}}"), 422, "retention.ms");
        assertError(http().get("/topics/http-admin-nothing"), 404, "does not exist");
        assertError(http().get("/topics/http-admin-existing/partitions/9"), 404, "partition 9");
        assertError(http().get("/topics/http-admin-existing/partitions/9/offsets"), 404, "partition 9");
    }
}
