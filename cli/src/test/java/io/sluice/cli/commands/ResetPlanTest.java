package io.sluice.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.sluice.cli.commands.OffsetReset.PartitionOffsets;

class ResetPlanTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final TopicPartition A0 = new TopicPartition("audit", 0);

    /** A log holding offsets 10 to 99 (end 100), with the group at {@code committed}. */
    private static PartitionOffsets log(Long committed) {
        return new PartitionOffsets(committed == null ? OptionalLong.empty() : OptionalLong.of(committed), 10, 100,
                OptionalLong.empty());
    }

    private static long target(OffsetReset reset, PartitionOffsets offsets) {
        return reset.target(offsets);
    }

    @Test
    void earliestAndLatestAreTheLogsBounds() {
        assertThat(target(new OffsetReset.ToEarliest(), log(50L))).isEqualTo(10);
        assertThat(target(new OffsetReset.ToLatest(), log(50L))).isEqualTo(100);
        assertThat(target(new OffsetReset.ToLatest(), log(null))).isEqualTo(100);
    }

    @Test
    void anOffsetOutsideTheLogIsClampedToIt() {
        assertThat(target(new OffsetReset.ToOffset(42), log(null))).isEqualTo(42);
        assertThat(target(new OffsetReset.ToOffset(3), log(null))).isEqualTo(10);
        assertThat(target(new OffsetReset.ToOffset(1_000), log(null))).isEqualTo(100);
    }

    @Test
    void shiftMovesFromTheCommittedOffsetWithinTheLog() {
        assertThat(target(new OffsetReset.ShiftBy(-5), log(50L))).isEqualTo(45);
        assertThat(target(new OffsetReset.ShiftBy(7), log(50L))).isEqualTo(57);
        assertThat(target(new OffsetReset.ShiftBy(-100), log(50L))).isEqualTo(10);
        assertThat(target(new OffsetReset.ShiftBy(100), log(50L))).isEqualTo(100);
    }

    @Test
    void shiftingAPartitionWithoutACommittedOffsetNamesThePartition() {
        TreeMap<TopicPartition, PartitionOffsets> partitions = new TreeMap<>(PartitionLag.ORDER);
        partitions.put(P0, log(50L));
        partitions.put(P1, log(null));

        assertThatThrownBy(() -> ResetPlan.of(new OffsetReset.ShiftBy(1), partitions))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot shift the offset of orders-1: the group has no committed offset there");
    }

    @Test
    void datetimeTakesTheOffsetFoundAtTheTimeOrTheLogEnd() {
        OffsetReset.ToDatetime reset = OffsetReset.ToDatetime.parse("2026-12-01T18:00:00Z", ZoneOffset.UTC);
        PartitionOffsets found = new PartitionOffsets(OptionalLong.of(50), 10, 100, OptionalLong.of(77));

        assertThat(reset.timestamp()).hasValue(Instant.parse("2026-12-01T18:00:00Z").toEpochMilli());
        assertThat(target(reset, found)).isEqualTo(77);
        assertThat(target(reset, log(50L))).isEqualTo(100);
    }

    @Test
    void datetimeReadsOffsetsAndLocalTimes() {
        Instant at = Instant.parse("2026-12-01T17:00:00Z");

        assertThat(OffsetReset.ToDatetime.parse("2026-12-01T19:00:00.000+02:00", ZoneOffset.UTC).at()).isEqualTo(at);
        assertThat(OffsetReset.ToDatetime.parse("2026-12-01T18:00:00", ZoneOffset.ofHours(1)).at()).isEqualTo(at);
        assertThatThrownBy(() -> OffsetReset.ToDatetime.parse("yesterday", ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--to-datetime 'yesterday'");
    }

    @Test
    void thePlanListsCurrentAndNewOffsetsInTopicAndPartitionOrder() {
        TreeMap<TopicPartition, PartitionOffsets> partitions = new TreeMap<>(PartitionLag.ORDER);
        partitions.put(P1, log(null));
        partitions.put(P0, log(60L));
        partitions.put(A0, log(20L));

        ResetPlan plan = ResetPlan.of(new OffsetReset.ToOffset(30), partitions);

        assertThat(plan.moves()).containsExactly(new ResetPlan.Move(A0, OptionalLong.of(20), 30),
                new ResetPlan.Move(P0, OptionalLong.of(60), 30), new ResetPlan.Move(P1, OptionalLong.empty(), 30));
        assertThat(plan.offsets()).containsEntry(P1, new OffsetAndMetadata(30)).hasSize(3);
    }
}
