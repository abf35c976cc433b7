package io.sluice.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.contract.SecurityFeed;

/** CreateTopics held to the user's {@code controller_mutation_rate}, as the Kafka listener and HTTP API both ask. */
class ControllerMutationsTest {

    private final Throttles throttles = new Throttles(() -> new ClientQuotas(List.of(new SecurityFeed.Quota("ivan",
            null, Map.of(ClientQuotas.CONTROLLER_MUTATION_RATE, 1.0)))), () -> 1_000_000);
    private final ControllerMutations mutations = new ControllerMutations(throttles, () -> null);
    private final List<Long> mutes = new ArrayList<>();
    private final AtomicInteger forwarded = new AtomicInteger();

    private CreateTopicsResponseData create(String user, int version, String topic, int partitions) {
        CreateTopicsRequestData request = new CreateTopicsRequestData();
        request.topics().add(new CreateTopicsRequestData.CreatableTopic().setName(topic)
                .setNumPartitions(partitions).setReplicationFactor((short) 1));
        RequestFrame frame = new RequestFrame(ApiKeys.CREATE_TOPICS.id, (short) version, 1, "", request);
        return (CreateTopicsResponseData) mutations.serve(frame, user, mutes::add, this::created)
                .toCompletableFuture().join();
    }

    private CompletableFuture<ApiMessage> created(RequestFrame allowed) {
        forwarded.incrementAndGet();
        CreateTopicsResponseData answer = new CreateTopicsResponseData();
        ((CreateTopicsRequestData) allowed.body()).topics().forEach(t -> answer.topics().add(
                new CreateTopicsResponseData.CreatableTopicResult().setName(t.name())
                        .setNumPartitions(t.numPartitions())));
        return CompletableFuture.completedFuture(answer);
    }

    @Test
    void aUserThatOwesHasItsNextTopicRefusedWithTheTimeToWait() {
        CreateTopicsResponseData first = create("ivan", 7, "orders", 4);
        assertThat(first.topics().find("orders").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(first.throttleTimeMs()).isEqualTo(3_000);
        assertThat(mutes).containsExactly(3_000L);

        CreateTopicsResponseData second = create("ivan", 7, "payments", 1);
        assertThat(second.topics().find("payments").errorCode())
                .isEqualTo(Errors.THROTTLING_QUOTA_EXCEEDED.code());
        assertThat(second.throttleTimeMs()).isEqualTo(3_000);
        assertThat(forwarded).hasValue(1);

        assertThat(create("someone-else", 7, "refunds", 4).throttleTimeMs()).isZero();
    }

    @Test
    void aVersionThatCannotSayThrottledIsServedAndOnlyTheWaitTold() {
        create("ivan", 7, "orders", 4);

        CreateTopicsResponseData older = create("ivan", 5, "payments", 1);

        assertThat(older.topics().find("payments").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(older.throttleTimeMs()).isEqualTo(4_000);
    }
}
