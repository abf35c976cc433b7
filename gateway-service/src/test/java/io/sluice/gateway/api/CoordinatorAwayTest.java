package io.sluice.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.gateway.quota.ClientQuotas;
import io.sluice.gateway.quota.Throttles;
import io.sluice.protocol.contract.GatewayContract;
import io.sluice.protocol.net.ActiveServer;
import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.net.FetchMemory;
import io.sluice.protocol.net.KafkaChannel;
import io.sluice.protocol.net.KafkaServer;
import io.sluice.protocol.net.ReconnectingChannel;
import io.sluice.protocol.net.RequestLimits;
import io.vertx.core.Vertx;

/**
 * With no coordinator to be reached, the gateway answers every request with the retriable error Kafka's clients wait
 * out, and keeps the client's connection: closing it would make every client reconnect in a loop.
 */
class CoordinatorAwayTest {

    private static final String HOST = "127.0.0.1";

    private Vertx vertx;
    private MetadataView view;
    private KafkaChannel client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        ActiveServer nobody = new ActiveServer(List.of(HOST + ":" + freePort()));
        view = new MetadataView(vertx, new ReconnectingChannel(vertx, "gateway", nobody, ChannelLogin.NONE),
                Duration.ofHours(1));
        KafkaServer gateway = new KafkaServer("gateway", GatewayContract.APIS,
                new GatewayRequestHandler(vertx, view, new GatewayNode(HOST, 9092), nobody, ChannelLogin.NONE, null,
                        new Throttles(() -> ClientQuotas.NONE, System::currentTimeMillis), new FetchMemory(1 << 20),
                        new FetchSessions(1_000)),
                new RequestLimits(1024 * 1024, 64L << 20));
        gateway.listen(vertx, HOST, 0).toCompletionStage().toCompletableFuture().join();
        client = KafkaChannel.connect(vertx, "client", HOST, gateway.port()).toCompletionStage().toCompletableFuture()
                .join();
    }

    @AfterEach
    void stop() {
        view.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void adminRequestsGetNotControllerWhichAdminClientsRetry() throws Exception {
        CreateTopicsRequestData create = new CreateTopicsRequestData().setTimeoutMs(1000);
        create.topics().add(new CreatableTopic().setName("orders").setNumPartitions(3).setReplicationFactor((short) 1));

        CreateTopicsResponseData answer = send(create, 7);

        assertThat(Errors.forCode(answer.topics().find("orders").errorCode())).isEqualTo(Errors.NOT_CONTROLLER);
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void metadataOfATopicNotYetKnownIsLeaderNotAvailable() throws Exception {
        MetadataRequestData metadata = new MetadataRequestData().setAllowAutoTopicCreation(true);
        metadata.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("orders"));

        MetadataResponseData answer = send(metadata, 12);

        assertThat(Errors.forCode(answer.topics().find("orders").errorCode())).isEqualTo(Errors.LEADER_NOT_AVAILABLE);
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void groupRequestsGetCoordinatorNotAvailable() throws Exception {
        OffsetFetchResponseData answer = send(new OffsetFetchRequestData().setGroupId("app").setTopics(null), 7);

        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(client.isOpen()).isTrue();
    }

    @SuppressWarnings("unchecked")
    private <R extends ApiMessage> R send(ApiMessage request, int version) throws Exception {
        return (R) client.send(request, (short) version).get(20, TimeUnit.SECONDS);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
