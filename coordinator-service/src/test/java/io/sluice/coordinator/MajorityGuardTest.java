package io.sluice.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.codec.RequestFrame;

class MajorityGuardTest {

    private final AtomicBoolean inTouch = new AtomicBoolean(true);
    private final MajorityGuard guard = new MajorityGuard(
            (request, connection) -> CompletableFuture.completedFuture(new CreateTopicsResponseData()), inTouch::get);

    @Test
    void inTouchWithAMajorityTheRequestIsServed() {
        assertThat(answer(ApiKeys.CREATE_TOPICS, 7, createTopic())).isEqualTo(new CreateTopicsResponseData());
    }

    @Test
    void cutOffAdminRequestsGetNotControllerAndGroupRequestsCoordinatorNotAvailable() {
        inTouch.set(false);
        CreateTopicsResponseData created = (CreateTopicsResponseData) answer(ApiKeys.CREATE_TOPICS, 7, createTopic());
        assertThat(created.topics()).singleElement()
                .satisfies(t -> assertThat(t.errorCode()).isEqualTo(Errors.NOT_CONTROLLER.code()));

        OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId("g");
        commit.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("orders")
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(0).setCommittedOffset(5))));
        OffsetCommitResponseData committed = (OffsetCommitResponseData) answer(ApiKeys.OFFSET_COMMIT, 8, commit);
        assertThat(committed.topics()).singleElement().satisfies(t -> assertThat(t.partitions()).singleElement()
                .satisfies(p -> assertThat(p.errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code())));
    }

    private static CreateTopicsRequestData createTopic() {
        CreateTopicsRequestData create = new CreateTopicsRequestData();
        create.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("orders").setNumPartitions(1)
                .setReplicationFactor((short) 1));
        return create;
    }

    private ApiMessage answer(ApiKeys api, int version, ApiMessage body) {
        return guard.handle(new RequestFrame(api.id, (short) version, 1, "test", body), null).toCompletableFuture()
                .join();
    }
}
