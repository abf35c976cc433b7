package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sluice.cli.local.Member;
import io.sluice.cli.local.Role;
import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.ServiceContract;
import io.sluice.protocol.security.MemberCredential;
import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * No back door: a secured cluster's brokers and coordinators serve their own members only, on their Kafka ports and
 * their HTTP endpoints, while health and metrics stay open to probes and scrapers, and the cluster keeps serving its
 * clients through the gateway all along.
 */
@SluiceCluster
class InternalPortsIT {

    private static final String TOPIC = "internal-ports";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static TestCluster cluster;

    @BeforeAll
    static void topic(Admin admin) throws Exception {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
    }

    @Test
    void brokerAndCoordinatorKafkaPortsCloseConnectionsThatDoNotLogInAsAMember() throws Exception {
        for (Member internal : List.of(broker(), coordinator())) {
            try (RawKafka anonymous = new RawKafka("127.0.0.1:" + internal.kafkaPort())) {
                anonymous.send(served(internal), version(internal));
                assertThat(anonymous.closedByServer()).as("%s closes an anonymous request", internal.name()).isTrue();
            }
            try (RawKafka stranger = new RawKafka("127.0.0.1:" + internal.kafkaPort())) {
                assertThatThrownBy(() -> stranger.logInAsMember(MemberCredential.newSecret()))
                        .as("%s refuses another secret", internal.name()).isInstanceOf(IOException.class)
                        .hasMessageContaining("refused");
            }
            try (RawKafka member = new RawKafka("127.0.0.1:" + internal.kafkaPort())
                    .logInAsMember(cluster.memberSecret())) {
                assertThat(member.call(served(internal), version(internal))).as("%s serves a member",
                        internal.name()).isNotNull();
            }
        }
        assertTheClusterStillServes("after the internal Kafka ports refused strangers");
    }

    @Test
    void stateChangingAndRevealingHttpEndpointsAnswer401WithoutTheMemberToken() throws Exception {
        String wrongToken = new MemberCredential(MemberCredential.newSecret()).token();
        for (String token : new String[] { null, wrongToken }) {
            assertThat(post(broker(), BrokerContract.STORE_SHUTDOWN_PATH, token)).isEqualTo(401);
            assertThat(get(broker(), BrokerContract.STORE_BALANCE_PATH, token)).isEqualTo(401);
            assertThat(get(broker(), BrokerContract.STORE_OWNERS_PATH, token)).isEqualTo(401);
            assertThat(get(coordinator(), CoordinatorContract.CLUSTER_PATH, token)).isEqualTo(401);
            assertThat(get(coordinator(), CoordinatorContract.SECURITY_PATH, token)).isEqualTo(401);
        }
        // An open prefix does not open what lies behind it once the path is resolved.
        assertThat(post(broker(), ServiceContract.LIVE_PATH + "/../../.." + BrokerContract.STORE_SHUTDOWN_PATH, null))
                .isIn(401, 404);
        String member = cluster.memberCredential().token();
        assertThat(get(coordinator(), CoordinatorContract.CLUSTER_PATH, member)).isEqualTo(200);
        assertThat(get(broker(), BrokerContract.STORE_BALANCE_PATH, member)).isIn(200, 503);
        for (Member any : List.of(broker(), coordinator())) {
            assertThat(get(any, ServiceContract.LIVE_PATH, null)).as("%s liveness", any.name()).isEqualTo(200);
            assertThat(get(any, ServiceContract.METRICS_PATH, null)).as("%s metrics", any.name()).isEqualTo(200);
        }
        assertTheClusterStillServes("after /store/shutdown was refused");
    }

    private static void assertTheClusterStillServes(String when) throws Exception {
        KafkaClients clients = cluster.clients();
        try (KafkaProducer<String, String> producer = clients.producer()) {
            producer.send(new ProducerRecord<>(TOPIC, when)).get(30, TimeUnit.SECONDS);
        }
        assertThat(clients.readAll(TOPIC, 1, Integer.MAX_VALUE, Duration.ofSeconds(5)))
                .extracting(r -> r.value()).contains(when);
    }

    /** A request the member serves: ListOffsets on a broker, Metadata on a coordinator. */
    private static ApiMessage served(Member internal) {
        return internal.role() == Role.BROKER ? new ListOffsetsRequestData().setReplicaId(-1)
                : new MetadataRequestData();
    }

    private static short version(Member internal) {
        return (short) (internal.role() == Role.BROKER ? 7 : 12);
    }

    private static Member broker() {
        return cluster.layout().brokers().get(0);
    }

    private static Member coordinator() {
        return cluster.member(cluster.activeCoordinator().orElseThrow());
    }

    private static int get(Member member, String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(uri(member, path)).GET(), token);
    }

    private static int post(Member member, String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(uri(member, path)).POST(HttpRequest.BodyPublishers.noBody()), token);
    }

    private static URI uri(Member member, String path) {
        return URI.create("http://127.0.0.1:" + member.httpPort() + path);
    }

    private static int send(HttpRequest.Builder request, String token) throws Exception {
        if (token != null) {
            request.header(MemberCredential.HEADER, token);
        }
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
