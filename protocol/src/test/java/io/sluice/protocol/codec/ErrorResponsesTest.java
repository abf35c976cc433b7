package io.sluice.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {

    @Test
    void joinGroupErrorAnswerIsWritableAtOldAndNewVersions() {
        for (short version = 0; version <= 9; version++) {
            JoinGroupRequestData join = new JoinGroupRequestData().setGroupId("g").setMemberId("")
                    .setProtocolType("consumer").setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000);
            JoinGroupResponseData answer = (JoinGroupResponseData) ErrorResponses.of(join, version,
                    Errors.COORDINATOR_NOT_AVAILABLE);
            assertThat(answer.errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
            RequestFrame frame = new RequestFrame(join.apiKey(), version, 7, "c", join);
            assertThat(ResponseEncoder.encode(frame, version, answer).readableBytes()).isPositive();
        }
    }

    @Test
    void offsetCommitErrorAnswerCarriesTheErrorPerPartition() {
        OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId("g");
        commit.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t")
                .setPartitions(java.util.List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(2).setCommittedOffset(5))));
        OffsetCommitResponseData answer = (OffsetCommitResponseData) ErrorResponses.of(commit, (short) 8,
                Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(answer.topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(answer.topics().get(0).partitions().get(0).partitionIndex()).isEqualTo(2);
    }
}
