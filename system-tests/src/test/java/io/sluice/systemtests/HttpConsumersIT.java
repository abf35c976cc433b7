package io.sluice.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sluice.cli.local.ClusterLayout;
import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * The Strimzi bridge's consumer API on two gateways of one cluster: an instance's state lives in the coordinator, so
 * the gateways serve it in turn. The members inherit from the failsafe configuration a 10 s idle timeout (a loaded
 * machine may pause a test for seconds) and a limit of 10 instances.
 */
@SluiceCluster(gateways = 2)
class HttpConsumersIT {

    private static final String BRIDGE = "application/vnd.kafka.v2+json";
    private static final String TEXT = "application/vnd.kafka.text.v2+json";
    private static final String JSON = "application/vnd.kafka.json.v2+json";

    static TestCluster cluster;
    static KafkaClients clients;

    @BeforeAll
    static void topics(Admin admin) throws Exception {
        admin.createTopics(List.of(
                new NewTopic("hc-orders", 2, (short) 3),
                new NewTopic("hc-split", 4, (short) 2),
                new NewTopic("hc-seek", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        try (KafkaProducer<String, String> producer = clients.producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("hc-orders", i % 2, "k" + i, "order-" + i));
            }
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("hc-seek", 0, null, "s" + i));
            }
            producer.flush();
        }
        // The first request to each gateway's consumer API (and rest-assured's first JSON path) may take seconds on
        // a loaded machine: taken here, so no test's instance sits idle through it.
        for (int gateway = 1; gateway <= 2; gateway++) {
            gateway(gateway).get(instance("hc-warm-up", "nobody") + "/assignments").then().statusCode(404)
                    .body("error_code", equalTo(404));
        }
    }

    private static RequestSpecification gateway(int n) {
        return given().baseUri(ClusterLayout.httpUrl(cluster.member(n == 1 ? "gateway" : "gateway-" + n)));
    }

    private static String create(int gateway, String group, String body) {
        return gateway(gateway).contentType(BRIDGE).body(body).post("/consumers/" + group)
                .then().statusCode(200).extract().path("instance_id");
    }

    private static void subscribe(int gateway, String group, String name, String topic) {
        gateway(gateway).contentType(BRIDGE).body("{\"topics\":[\"" + topic + "\"]}")
                .post(instance(group, name) + "/subscription").then().statusCode(204);
    }

    private static String instance(String group, String name) {
        return "/consumers/" + group + "/instances/" + name;
    }

    private static List<Map<String, Object>> records(int gateway, String group, String name) {
        return gateway(gateway).accept(TEXT).queryParam("timeout", 500).get(instance(group, name) + "/records")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static Set<String> assignments(int gateway, String group, String name) {
        List<Map<String, Object>> partitions = gateway(gateway).get(instance(group, name) + "/assignments")
                .then().statusCode(200).extract().jsonPath().getList("partitions");
        Set<String> named = new HashSet<>();
        partitions.forEach(p -> named.add(p.get("topic") + "-" + p.get("partition")));
        return named;
    }

    @Test
    void aConsumerServedByTwoGatewaysInTurnCommitsWhereAKafkaConsumerOfItsGroupResumes(Admin admin)
            throws Exception {
        String group = "hc-lifecycle";
        String name = create(1, group, "{\"name\":\"reader\",\"format\":\"text\",\"auto.offset.reset\":\"earliest\","
                + "\"enable.auto.commit\":false}");
        assertThat(name).isEqualTo("reader");
        subscribe(2, group, name, "hc-orders");

        List<Map<String, Object>> read = new ArrayList<>();
        int turn = 0;
        long deadline = System.currentTimeMillis() + 20_000;
        while (read.size() < 10 && System.currentTimeMillis() < deadline) {
            read.addAll(records(1 + turn++ % 2, group, name));
        }
        assertThat(read).extracting(r -> r.get("value")).containsExactlyInAnyOrder("order-0", "order-1", "order-2",
                "order-3", "order-4", "order-5", "order-6", "order-7", "order-8", "order-9");
        assertThat(records(2, group, name)).as("nothing is read twice, whichever gateway asks").isEmpty();
        assertThat(records(1, group, name)).isEmpty();

        // The instance is its group's member in Kafka's views, with the address of the client that created it.
        ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).describedGroups()
                .get(group).get(10, TimeUnit.SECONDS);
        assertThat(described.members()).singleElement().satisfies(member -> {
            assertThat(member.consumerId()).isEqualTo(name);
            assertThat(member.host()).isEqualTo("/127.0.0.1");
            assertThat(member.assignment().topicPartitions()).containsExactlyInAnyOrder(
                    new TopicPartition("hc-orders", 0), new TopicPartition("hc-orders", 1));
        });

        gateway(2).post(instance(group, name) + "/offsets").then().statusCode(204);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        assertThat(committed).containsEntry(new TopicPartition("hc-orders", 0), new OffsetAndMetadata(5))
                .containsEntry(new TopicPartition("hc-orders", 1), new OffsetAndMetadata(5));
        gateway(1).delete(instance(group, name)).then().statusCode(204);
        gateway(2).accept(TEXT).get(instance(group, name) + "/records").then().statusCode(404)
                .body("error_code", equalTo(404));

        try (KafkaProducer<String, String> producer = clients.producer()) {
            producer.send(new ProducerRecord<>("hc-orders", 0, "late", "order-10")).get();
        }
        try (KafkaConsumer<String, String> consumer = clients.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            consumer.subscribe(List.of("hc-orders"));
            List<ConsumerRecord<String, String>> resumed = new ArrayList<>();
            long until = System.currentTimeMillis() + 15_000;
            while (resumed.isEmpty() && System.currentTimeMillis() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(resumed::add);
            }
            consumer.poll(Duration.ofMillis(300)).forEach(resumed::add);
            assertThat(resumed).extracting(ConsumerRecord::value).containsExactly("order-10");
        }
    }

    @Test
    void instancesOfAGroupSplitItsPartitionsAndAnExpiredOneGivesItsShareBack() {
        String group = "hc-split";
        String a = create(1, group, "{\"name\":\"a\"}");
        String b = create(2, group, "{\"name\":\"b\"}");
        subscribe(1, group, a, "hc-split");
        subscribe(2, group, b, "hc-split");

        Set<String> ofA = assignments(2, group, a);
        Set<String> ofB = assignments(1, group, b);
        assertThat(ofA).hasSize(2).doesNotContainAnyElementsOf(ofB);
        assertThat(ofB).hasSize(2);

        // a stays in use; b, left idle, expires after the 10 s timeout and its partitions go to a
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> assignments(1, group, a).size() == 4);
        gateway(2).get(instance(group, b) + "/assignments").then().statusCode(404)
                .body("error_code", equalTo(404))
                .body("message", equalTo("The specified consumer instance was not found."));
        gateway(1).delete(instance(group, a)).then().statusCode(204);
    }

    @Test
    void positionsMoveAsSeekAsksAndOutsideTheLogAsAutoOffsetResetSays() {
        String group = "hc-seek";
        String name = create(1, group, "{\"format\":\"text\",\"auto.offset.reset\":\"earliest\"}");
        assertThat(name).startsWith("sluice-consumer-");
        gateway(2).contentType(BRIDGE).body("{\"partitions\":[{\"topic\":\"hc-seek\",\"partition\":0}]}")
                .post(instance(group, name) + "/assignments").then().statusCode(204);

        gateway(1).contentType(BRIDGE).body("{\"offsets\":[{\"topic\":\"hc-seek\",\"partition\":0,\"offset\":3}]}")
                .post(instance(group, name) + "/positions").then().statusCode(204);
        assertThat(records(2, group, name)).extracting(r -> r.get("value")).containsExactly("s3", "s4");

        gateway(1).contentType(BRIDGE).body("{\"partitions\":[{\"topic\":\"hc-seek\",\"partition\":0}]}")
                .post(instance(group, name) + "/positions/beginning").then().statusCode(204);
        assertThat(records(1, group, name)).extracting(r -> r.get("offset")).containsExactly(0, 1, 2, 3, 4);

        gateway(1).contentType(BRIDGE).body("{\"partitions\":[{\"topic\":\"hc-seek\",\"partition\":0}]}")
                .post(instance(group, name) + "/positions/end").then().statusCode(204);
        assertThat(records(2, group, name)).isEmpty();

        // past the end: the read finds the offset out of range and starts again from the earliest
        gateway(2).contentType(BRIDGE).body("{\"offsets\":[{\"topic\":\"hc-seek\",\"partition\":0,\"offset\":99}]}")
                .post(instance(group, name) + "/positions").then().statusCode(204);
        List<Map<String, Object>> again = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> again.addAll(records(1, group, name)));
        assertThat(again).extracting(r -> r.get("value")).containsExactly("s0", "s1", "s2", "s3", "s4");

        gateway(1).contentType(BRIDGE).body("{\"offsets\":[{\"topic\":\"hc-seek\",\"partition\":1,\"offset\":0}]}")
                .post(instance(group, name) + "/positions").then().statusCode(404);
        gateway(2).delete(instance(group, name)).then().statusCode(204);
    }

    @Test
    void badRequestsGetTheBridgesStatusesAndErrorBody() throws Exception {
        String group = "hc-errors";
        String name = create(1, group, "{\"name\":\"e\",\"format\":\"json\"}");
        gateway(2).contentType(BRIDGE).body("{\"name\":\"e\"}").post("/consumers/" + group).then().statusCode(409)
                .body("error_code", equalTo(409));
        gateway(1).contentType(BRIDGE).body("{\"format\":\"avro\"}").post("/consumers/" + group).then()
                .statusCode(422).body("error_code", equalTo(422));
        gateway(1).contentType(BRIDGE).body("{\"name\":").post("/consumers/" + group).then().statusCode(400)
                .body("error_code", equalTo(400));
        gateway(2).contentType(BRIDGE).body("{\"topics\":[\"hc-seek\"],\"topic_pattern\":\"hc-.*\"}")
                .post(instance(group, name) + "/subscription").then().statusCode(409);
        gateway(2).contentType(BRIDGE).body("{\"topics\":\"hc-seek\"}")
                .post(instance(group, name) + "/subscription").then().statusCode(400);
        gateway(2).contentType(BRIDGE).body("{\"partitions\":[{\"topic\":\"hc-seek\",\"partition\":-1}]}")
                .post(instance(group, name) + "/assignments").then().statusCode(422);
        gateway(1).accept(TEXT).get(instance(group, name) + "/records").then().statusCode(406)
                .body("error_code", equalTo(406));
        gateway(1).accept(JSON).queryParam("timeout", 0).get(instance(group, name) + "/records").then()
                .statusCode(200);
        gateway(1).delete(instance(group, name)).then().statusCode(204);
        gateway(1).delete(instance(group, name)).then().statusCode(404);

        // an instance made before Kafka consumers joined its group can no longer commit in it
        String early = create(1, "hc-kafka-group", "{\"name\":\"early\"}");
        gateway(1).contentType(BRIDGE).body("{\"partitions\":[{\"topic\":\"hc-seek\",\"partition\":0}]}")
                .post(instance("hc-kafka-group", early) + "/assignments").then().statusCode(204);
        TopicPartition seek0 = new TopicPartition("hc-seek", 0);
        try (KafkaConsumer<String, String> member = clients.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG,
                "hc-kafka-group"))) {
            member.subscribe(List.of("hc-seek"));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                member.poll(Duration.ofMillis(100));
                return !member.assignment().isEmpty();
            });
            gateway(2).contentType(BRIDGE).body("{}").post("/consumers/hc-kafka-group").then().statusCode(409)
                    .body("error_code", equalTo(409));
            member.commitSync();
            gateway(2).contentType(BRIDGE)
                    .body("{\"offsets\":[{\"topic\":\"hc-seek\",\"partition\":0,\"offset\":1}]}")
                    .post(instance("hc-kafka-group", early) + "/offsets").then().statusCode(409);
            assertThat(member.committed(Set.of(seek0)).get(seek0).offset()).as("the Kafka member's commit stands")
                    .isEqualTo(member.position(seek0));
        }
        gateway(1).delete(instance("hc-kafka-group", early)).then().statusCode(204);
    }

    @Test
    void instancesBeyondTheLimitAreRefused() {
        String group = "hc-limit";
        List<String> created = new ArrayList<>();
        Response refused = null;
        for (int i = 0; i < 11 && refused == null; i++) {
            Response answer = gateway(1 + i % 2).contentType(BRIDGE).body("{}").post("/consumers/" + group);
            if (answer.statusCode() == 200) {
                created.add(answer.path("instance_id"));
            } else {
                refused = answer;
            }
        }
        assertThat(refused).as("the 11th instance is refused").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.jsonPath().getInt("error_code")).isEqualTo(429);
        created.forEach(name -> gateway(2).delete(instance(group, name)).then().statusCode(204));
        create(1, group, "{\"name\":\"after\"}");
        gateway(1).delete(instance(group, "after")).then().statusCode(204);
    }
}
