package io.sluice.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionLagTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final TopicPartition P2 = new TopicPartition("orders", 2);
    private static final TopicPartition OLD = new TopicPartition("archive", 0);

    private final MemberDescription member = new MemberDescription("consumer-1-abc", Optional.empty(), "consumer-1",
            "/127.0.0.1", new MemberAssignment(Set.of(P0, P1)));

    @Test
    void lagIsLogEndMinusCommittedAndUnknownWithoutAnOffset() {
        List<PartitionLag> rows = PartitionLag.of(List.of(member), Map.of(P0, 4L, P2, 7L, OLD, 3L),
                Map.of(P0, 10L, P1, 5L, P2, 7L));

        assertThat(rows).extracting(PartitionLag::partition).containsExactly(OLD, P0, P1, P2);
        assertThat(rows.get(1).lag()).hasValue(6);
        assertThat(rows.get(2).committed()).isEmpty();
        assertThat(rows.get(2).lag()).isEmpty();
        assertThat(rows.get(3).lag()).hasValue(0);
        assertThat(rows.get(0).logEnd()).isEmpty();
        assertThat(rows.get(0).lag()).isEmpty();
    }

    @Test
    void eachPartitionNamesTheMemberThatOwnsIt() {
        List<PartitionLag> rows = PartitionLag.of(List.of(member), Map.of(P2, 1L), Map.of());

        assertThat(rows).extracting(r -> r.owner().map(MemberDescription::consumerId).orElse("-"))
                .containsExactly("consumer-1-abc", "consumer-1-abc", "-");
        assertThat(rows.get(0)).isEqualTo(new PartitionLag(P0, OptionalLong.empty(), OptionalLong.empty(),
                Optional.of(member)));
    }
}
