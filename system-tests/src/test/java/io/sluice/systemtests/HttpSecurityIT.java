package io.sluice.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * The HTTP API of a secured gateway over HTTPS: a client logs in with HTTP Basic as a SCRAM user (401 otherwise, in
 * the path's error body), is allowed what its ACLs allow as on the Kafka listener (403 otherwise, topic listings
 * filtered), while health and metrics stay open.
 */
@SluiceCluster
class HttpSecurityIT {

    private static final String TOPIC = "http-secured";
    private static final String RECORD = "{\"records\":[{\"value\":\"from-ivan\"}]}";
    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    static TestCluster cluster;
    private static KeyStore trusted;
    private static SecureClients ivan;

    @BeforeAll
    static void topicAndUser() throws Exception {
        try (Admin admin = SecureClients.admin(cluster).admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        ivan = SecureClients.newUser(cluster, "ivan");
        trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream ca = Files.newInputStream(cluster.caCertificate())) {
            trusted.setCertificateEntry("sluice-ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
    }

    /** HTTPS to the gateway, trusting only the cluster's CA. */
    private static RequestSpecification https() {
        return given().baseUri(cluster.layout().httpsUrl()).trustStore(trusted);
    }

    private static RequestSpecification as(SecureClients user) {
        return https().auth().preemptive().basic(user.user(), user.password());
    }

    private static Response produce(RequestSpecification client) {
        return client.contentType("application/vnd.kafka.text.v2+json").body(RECORD).post("/topics/" + TOPIC);
    }

    private static Response read(RequestSpecification client) {
        return client.queryParam("offset", 0).queryParam("format", "text")
                .get("/topics/" + TOPIC + "/partitions/0/records");
    }

    @Test
    void withoutTheRightPasswordEveryPathIsUnauthorizedButHealthAndMetricsAreOpen() {
        https().get("/topics").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Basic realm=\"sluice\""))
                .contentType(ContentType.JSON).body("error_code", equalTo(401));
        https().get("/groups").then().statusCode(401).contentType("application/problem+json")
                .body("status", equalTo(401));
        as(ivan.withPassword("wrong")).get("/topics").then().statusCode(401);
        as(SecureClients.admin(cluster).withPassword("wrong")).get("/topics").then().statusCode(401);

        https().get("/q/health/ready").then().statusCode(200);
        https().get("/q/metrics").then().statusCode(200);
        given().baseUri(cluster.httpUrl()).auth().preemptive().basic("admin", TestCluster.ADMIN_PASSWORD)
                .get("/topics").then().statusCode(403).body("message", containsString("HTTPS"));
    }

    @Test
    void aUserIsForbiddenWhatItsAclsDoNotAllowUntilTheyDo() throws Exception {
        await().atMost(PROPAGATION).until(() -> as(ivan).get("/topics").statusCode() == 200);
        assertThat(as(ivan).get("/topics").jsonPath().getList("", String.class)).doesNotContain(TOPIC);
        assertThat(as(SecureClients.admin(cluster)).get("/topics").jsonPath().getList("", String.class))
                .contains(TOPIC);
        produce(as(ivan)).then().statusCode(403).body("error_code", equalTo(403))
                .body("message", containsString("User:ivan"));
        read(as(ivan)).then().statusCode(403);
        as(ivan).get("/groups/ivan-group/lag").then().statusCode(403).contentType("application/problem+json");

        allow(AclOperation.WRITE);
        allow(AclOperation.READ);

        // Two ACLs, two changes: the gateways may see the first a poll before the second.
        await().atMost(PROPAGATION).until(() -> produce(as(ivan)).statusCode() == 200);
        await().atMost(PROPAGATION).until(() -> read(as(ivan)).statusCode() == 200);
        assertThat(read(as(ivan)).then().statusCode(200).extract().jsonPath().getList("records.value"))
                .contains("from-ivan");
        assertThat(as(ivan).get("/topics").jsonPath().getList("", String.class)).contains(TOPIC);
    }

    private static void allow(AclOperation operation) throws Exception {
        try (Admin admin = SecureClients.admin(cluster).admin()) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                    new AccessControlEntry("User:ivan", "*", operation, AclPermissionType.ALLOW)))).all()
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
