package io.sluice.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.SupportedApis;
import io.sluice.protocol.net.KafkaChannel;
import io.sluice.protocol.net.KafkaServer;
import io.sluice.protocol.net.RequestLimits;
import io.vertx.core.Vertx;

/** The guard on a real listener, with a real client connection. */
class MajorityGuardTest {

    private final AtomicBoolean inTouch = new AtomicBoolean(true);
    private final AtomicInteger served = new AtomicInteger();
    private Vertx vertx;
    private KafkaServer server;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = new KafkaServer("coordinator",
                new SupportedApis(List.of(ApiVersionRange.of(ApiKeys.METADATA, 0, 12))),
                new MajorityGuard((request, connection) -> {
                    served.incrementAndGet();
                    return CompletableFuture.completedFuture(new MetadataResponseData().setClusterId("c"));
                }, inTouch::get),
                RequestLimits.control(1 << 20));
        server.listen(vertx, "127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void inTouchWithAMajorityRequestsAreServed() {
        ApiMessage answer = channel().send(new MetadataRequestData(), (short) 12).join();
        assertThat(((MetadataResponseData) answer).clusterId()).isEqualTo("c");
    }

    @Test
    void cutOffTheConnectionClosesUnansweredSoThatNoEmptyOrStaleAnswerIsTakenForTheCluster() {
        KafkaChannel channel = channel();
        inTouch.set(false);
        CompletableFuture<ApiMessage> answer = channel.send(new MetadataRequestData(), (short) 12);
        assertThat(answer).failsWithin(10, TimeUnit.SECONDS);
        assertThat(served).hasValue(0);

        inTouch.set(true);
        assertThat(channel().send(new MetadataRequestData(), (short) 12).join()).isNotNull();
        assertThat(served).hasValue(1);
    }

    private KafkaChannel channel() {
        return KafkaChannel.connect(vertx, "test", "127.0.0.1", server.port()).toCompletionStage()
                .toCompletableFuture().join();
    }
}
