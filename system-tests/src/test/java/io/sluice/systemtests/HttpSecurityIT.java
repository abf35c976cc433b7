package io.sluice.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sluice.protocol.security.CertificateAuthority;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * The HTTP API of a secured gateway over HTTPS: a client logs in with HTTP Basic as a SCRAM user (401 otherwise, in
 * the path's error body), is allowed what its ACLs allow as on the Kafka listener (403 otherwise, topic listings
 * filtered) and held to its user's quotas, while health and metrics stay open.
 */
@SluiceCluster
class HttpSecurityIT {

    private static final String TOPIC = "http-secured";
    private static final String RECORD = "{\"records\":[{\"value\":\"from-ivan\"}]}";
    private static final Duration PROPAGATION = Duration.ofSeconds(10);
    /** The topics of the quota tests, which both their users may do anything with. */
    private static final String QUOTA_TOPICS = "http-quota-";
    private static final String PRODUCED = QUOTA_TOPICS + "produced";
    private static final String READ = QUOTA_TOPICS + "read";
    private static final String VALUE = "v".repeat(1_000);
    private static final double QUOTA = 100_000;

    static TestCluster cluster;
    private static KeyStore trusted;
    private static SecureClients ivan;
    /** A user only the quota tests use, and the only one they set quotas on; and another, never held. */
    private static SecureClients paced;
    private static SecureClients unpaced;
    /** Keeps its connections, unlike RestAssured, so that TLS handshakes do not set the pace. */
    private static HttpClient http;

    @BeforeAll
    static void topicAndUser() throws Exception {
        try (Admin admin = SecureClients.admin(cluster).admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3), new NewTopic(PRODUCED, 1, (short) 3),
                    new NewTopic(READ, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        ivan = SecureClients.newUser(cluster, "ivan");
        paced = SecureClients.newUser(cluster, "paced");
        unpaced = SecureClients.newUser(cluster, "unpaced");
        try (Admin admin = SecureClients.admin(cluster).admin()) {
            admin.createAcls(List.of(paced, unpaced).stream().map(user -> new AclBinding(new ResourcePattern(
                    ResourceType.TOPIC, QUOTA_TOPICS, PatternType.PREFIXED),
                    new AccessControlEntry("User:"
                            + user.user(), "*", AclOperation.ALL, AclPermissionType.ALLOW)))
                    .toList()).all().get(30, TimeUnit.SECONDS);
        }
        trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream ca = Files.newInputStream(cluster.caCertificate())) {
            trusted.setCertificateEntry("sluice-ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
        // The gateway copies users and ACLs from the coordinator once a second: the tests start once it has these.
        await().atMost(Duration.ofSeconds(10)).until(() -> admittedToRead(paced) && admittedToRead(unpaced));
    }

    private static boolean admittedToRead(SecureClients user) throws Exception {
        return http.send(request(user, "/topics/" + READ + "/partitions/0/records?offset=0&format=text").GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
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
        allow("User:ivan", operation);
    }

    private static void allow(String principal, AclOperation operation) throws Exception {
        try (Admin admin = SecureClients.admin(cluster).admin()) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)))).all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** As on the mutual TLS listener: the certificate's subject is the caller, under its own ACLs. */
    @Test
    void overHttpsAClientCertificateIsTheCallerWhoseAclsApplyAndAForeignOneIsRefused() throws Exception {
        CertificateAuthority ca = cluster.certificateAuthority();
        HttpClient henry = presenting(ca.client("henry", Duration.ofDays(1)), ca);
        assertThat(produceAs(henry).statusCode()).as("no ACL yet").isEqualTo(403);

        allow("User:CN=henry", AclOperation.WRITE);

        await().atMost(PROPAGATION).until(() -> produceAs(henry).statusCode() == 200);
        CertificateAuthority someoneElse = CertificateAuthority.create("someone-else", Duration.ofDays(1));
        HttpClient foreign = presenting(someoneElse.client("henry", Duration.ofDays(1)), someoneElse);
        int foreignStatus;
        try {
            foreignStatus = produceAs(foreign).statusCode();
        } catch (IOException handshakeRefused) {
            foreignStatus = 0;
        }
        // The JDK's client presents no certificate that the server's list of CAs does not name; curl does, and the
        // handshake fails.
        assertThat(foreignStatus).as("a certificate of another CA: no handshake, or no caller").isIn(0, 401);
        assertThat(produceAs(henry).statusCode()).as("still serving").isEqualTo(200);
    }

    /** JDK HttpClient trusting the cluster's CA and presenting {@code certificate} when asked. */
    private static HttpClient presenting(CertificateAuthority.Issued certificate, CertificateAuthority issuer)
            throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "unused".toCharArray();
        keys.setKeyEntry("client", certificate.keys().getPrivate(), password,
                new Certificate[] { certificate.certificate(), issuer.certificate() });
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
    }

    private static HttpResponse<String> produceAs(HttpClient client) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(cluster.layout().httpsUrl() + "/topics/" + TOPIC))
                .header("Content-Type", "application/vnd.kafka.text.v2+json")
                .POST(HttpRequest.BodyPublishers.ofString(RECORD)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * {@code producer_byte_rate} over HTTP, as {@code kafka-configs.sh --entity-type users} sets it: a user producing
     * on two connections at once is held to it together (within 20 %, measured from 1 s on, once the debt the probe
     * left is paid), while another user at the same time is not.
     */
    @Test
    void aUserProducingOverHttpIsHeldToItsByteRateAndAnotherIsNot() throws Exception {
        String ten = body(10);
        String hundred = body(100);
        setQuota("producer_byte_rate", QUOTA);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            // The first request logs in and opens the connection, which takes a while of its own.
            produce(paced, hundred);
            // The gateway learns of the quota within a poll of the security state: then a burst's worth goes at once,
            // the next one as a debt, and the one after waits it out.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                long started = System.nanoTime();
                produce(paced, hundred);
                return System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(800);
            });
            Throughput held = new Throughput();
            Throughput free = new Throughput();
            CompletableFuture.allOf(
                    held.keepUp(() -> produce(paced, ten), threads),
                    held.keepUp(() -> produce(paced, ten), threads),
                    free.keepUp(() -> produce(unpaced, hundred), threads)).get(60, TimeUnit.SECONDS);

            double heldRate = held.rateBetween(1_000, Throughput.RUN_MS);
            double freeRate = free.rateBetween(0, Throughput.RUN_MS);
            System.out.printf("HttpSecurityIT: a user producing over HTTP on two connections %.0f B/s against a "
                    + "quota of %.0f; another user %.0f B/s%n", heldRate, QUOTA, freeRate);
            assertThat(heldRate).as("value bytes per second of the user with a quota, from 1 s to the end")
                    .isBetween(QUOTA * 0.8, QUOTA * 1.2);
            assertThat(freeRate).as("value bytes per second of the other user").isGreaterThan(QUOTA * 3);
        } finally {
            threads.shutdownNow();
            setQuota("producer_byte_rate", null);
        }
    }

    /**
     * {@code consumer_byte_rate} over HTTP: a user reading a partition by offset is held to it (within 20 %, measured from
     * when its probe left it owing nothing), while another user reading the same partition at the same time is not.
     */
    @Test
    void aUserReadingOverHttpIsHeldToItsByteRateAndAnotherIsNot() throws Exception {
        try (KafkaProducer<String, String> producer = SecureClients.admin(cluster).producer(Map.of())) {
            for (int i = 0; i < 2_000; i++) {
                producer.send(new ProducerRecord<>(READ, VALUE));
            }
            producer.flush();
        }
        setQuota("consumer_byte_rate", QUOTA);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            // The gateway learns of the quota within a poll of the security state: then a read brings no more than
            // a burst's worth, the whole of the bucket, so the user starts the measurement owing nothing and with
            // nothing left to burst (measured from 1 s on instead, a reader starved a while by the other one's load
            // could catch up a burst within the window).
            await().atMost(Duration.ofSeconds(30)).until(() -> read(paced, new long[] { 0 }, 1_000_000) <= QUOTA);
            long[] heldOffset = { 0 };
            long[] freeOffset = { 0 };
            Throughput held = new Throughput();
            Throughput free = new Throughput();
            CompletableFuture.allOf(
                    held.keepUp(() -> read(paced, heldOffset, 10_000), threads),
                    free.keepUp(() -> read(unpaced, freeOffset, 1_000_000), threads)).get(60, TimeUnit.SECONDS);

            double heldRate = held.rateBetween(0, Throughput.RUN_MS);
            double freeRate = free.rateBetween(0, Throughput.RUN_MS);
            System.out.printf("HttpSecurityIT: a user reading over HTTP %.0f B/s against a quota of %.0f; another "
                    + "user %.0f B/s%n", heldRate, QUOTA, freeRate);
            // Held to the quota, and not starved by it: on a loaded machine a reader of 10 kB a request falls short
            // of the quota by itself (69 % of it in a CI run), so the lower bound is looser than the upper one.
            assertThat(heldRate).as("value bytes per second of the user with a quota, over the whole run")
                    .isBetween(QUOTA * 0.5, QUOTA * 1.2);
            assertThat(freeRate).as("value bytes per second of the other user").isGreaterThan(QUOTA * 3);
        } finally {
            threads.shutdownNow();
            setQuota("consumer_byte_rate", null);
        }
    }

    /**
     * {@code controller_mutation_rate} over HTTP: once a user has created more partitions than its rate allows, its
     * next topic is refused, on the bridge's paths and Confluent's, with 429 and when to try again (as Kafka's
     * THROTTLING_QUOTA_EXCEEDED), and created once it waited; another user creates topics meanwhile.
     */
    @Test
    void aUserPastItsControllerMutationRateIsToldWhenToTryAgainAndAnotherIsNot() throws Exception {
        setQuota("controller_mutation_rate", 1.0);
        List<String> created = Collections.synchronizedList(new ArrayList<>());
        try {
            // The gateway learns of the quota within a poll: then the first topic's 4 partitions owe 3 s.
            int[] probe = { 0 };
            long[] firstCreated = { 0 };
            Response[] refused = { null };
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String first = QUOTA_TOPICS + "mutated-" + ++probe[0];
                createTopic(paced, first, 4, created).then().statusCode(201);
                firstCreated[0] = System.nanoTime();
                refused[0] = createTopic(paced, first + "-more", 1, created);
                return refused[0].statusCode() == 429;
            });
            refused[0].then().contentType(ContentType.JSON).body("error_code", equalTo(429))
                    .body("message", containsString("THROTTLING_QUOTA_EXCEEDED"));
            // 3 s for the 4 partitions, and at most one more its previous probe took
            assertThat(Integer.parseInt(refused[0].header("Retry-After"))).as("seconds to wait").isBetween(1, 4);
            String clusterId = as(paced).get("/v3/clusters").jsonPath().getString("data[0].cluster_id");
            as(paced).delete("/v3/clusters/" + clusterId + "/topics/" + QUOTA_TOPICS + "mutated-" + probe[0]).then()
                    .statusCode(429).contentType(ContentType.JSON).body("error_code", equalTo(429))
                    .header("Retry-After", notNullValue());

            createTopic(unpaced, QUOTA_TOPICS + "mutated-by-another", 4, created).then().statusCode(201);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> createTopic(paced, QUOTA_TOPICS + "mutated-later", 1, created).statusCode() == 201);
            long waitedMs = (System.nanoTime() - firstCreated[0]) / 1_000_000;
            System.out.printf("HttpSecurityIT: the throttled user's next topic was created %d ms after its first%n",
                    waitedMs);
            assertThat(waitedMs).as("ms until the throttled user could create again").isGreaterThan(2_000);
        } finally {
            setQuota("controller_mutation_rate", null);
            try (Admin admin = SecureClients.admin(cluster).admin()) {
                admin.deleteTopics(created).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Sets (or, null, removes) one of the quota user's quotas. */
    private static void setQuota(String key, Double value) throws Exception {
        try (Admin admin = SecureClients.admin(cluster).admin()) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                    new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, paced.user())),
                    List.of(new ClientQuotaAlteration.Op(key, value))))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Response createTopic(SecureClients user, String topic, int partitions, List<String> created) {
        Response response = as(user).contentType(ContentType.JSON)
                .body("{\"name\":\"" + topic + "\",\"partitions\":" + partitions + ",\"replicationFactor\":1}")
                .post("/topics");
        if (response.statusCode() == 201) {
            created.add(topic);
        }
        return response;
    }

    /** A produce body of {@code records} records of {@link #VALUE}. */
    private static String body(int records) {
        return "{\"records\":[" + String.join(",", Collections.nCopies(records, "{\"value\":\"" + VALUE + "\"}"))
                + "]}";
    }

    /** Produces a body as the user over HTTPS; the value bytes it stored. */
    private static long produce(SecureClients user, String body) throws Exception {
        HttpResponse<String> response = http.send(request(user, "/topics/" + PRODUCED)
                .header("Content-Type", "application/vnd.kafka.text.v2+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Object> offsets = JsonPath.from(response.body()).getList("offsets.offset");
        assertThat(offsets).doesNotContainNull();
        return (long) offsets.size() * VALUE.length();
    }

    /** Reads the partition from {@code offset} as the user, going on from where it ends (at its end, from 0). */
    private static long read(SecureClients user, long[] offset, int maxBytes) throws Exception {
        HttpResponse<String> response = http.send(request(user, "/topics/" + READ + "/partitions/0/records?offset="
                + offset[0] + "&maxBytes=" + maxBytes + "&format=text").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonPath read = JsonPath.from(response.body());
        List<String> values = read.getList("records.value", String.class);
        offset[0] = values.isEmpty() ? 0 : read.getLong("nextOffset");
        return values.stream().mapToLong(String::length).sum();
    }

    private static HttpRequest.Builder request(SecureClients user, String path) {
        return HttpRequest.newBuilder(URI.create(cluster.layout().httpsUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user.user() + ":" + user.password()).getBytes(StandardCharsets.UTF_8)));
    }

    /** Bytes moved by requests made back to back for {@link #RUN_MS}, on any number of threads. */
    private static final class Throughput {
        static final long RUN_MS = 6_000;

        private final long startedAt = System.nanoTime();
        private final List<long[]> done = Collections.synchronizedList(new ArrayList<>());

        /** Makes requests one after another until the run ends; each answers the bytes it moved. */
        CompletableFuture<Void> keepUp(Callable<Long> request, ExecutorService threads) {
            return CompletableFuture.runAsync(() -> {
                try {
                    while (elapsedMs() < RUN_MS) {
                        long bytes = request.call();
                        done.add(new long[] { elapsedMs(), bytes });
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
        }

        private long elapsedMs() {
            return (System.nanoTime() - startedAt) / 1_000_000;
        }

        /** Bytes per second of the requests answered from {@code fromMs} to {@code toMs} after the start. */
        double rateBetween(long fromMs, long toMs) {
            synchronized (done) {
                return done.stream().filter(d -> d[0] >= fromMs && d[0] < toMs).mapToLong(d -> d[1]).sum() * 1_000.0
                        / (toMs - fromMs);
            }
        }
    }
}
