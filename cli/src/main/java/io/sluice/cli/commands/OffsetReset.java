package io.sluice.cli.commands;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/** Where a reset moves a partition's committed offset, with the rules of {@code kafka-consumer-groups.sh}. */
sealed interface OffsetReset {

    /** The new committed offset of one partition. */
    long target(PartitionOffsets offsets);

    /** The timestamp whose offsets the reset needs looked up, if it needs one. */
    default OptionalLong timestamp() {
        return OptionalLong.empty();
    }

    /** What a partition's log holds and what the group has committed on it. */
    record PartitionOffsets(OptionalLong committed, long earliest, long latest, OptionalLong atTimestamp) {

        /** An offset moved into the log: Kafka's tool never commits one before its start or past its end. */
        long clamp(long offset) {
            return Math.max(earliest, Math.min(latest, offset));
        }
    }

    /** {@code --to-earliest}. */
    record ToEarliest() implements OffsetReset {
        @Override
        public long target(PartitionOffsets offsets) {
            return offsets.earliest();
        }
    }

    /** {@code --to-latest}. */
    record ToLatest() implements OffsetReset {
        @Override
        public long target(PartitionOffsets offsets) {
            return offsets.latest();
        }
    }

    /** {@code --to-offset N}. */
    record ToOffset(long offset) implements OffsetReset {
        @Override
        public long target(PartitionOffsets offsets) {
            return offsets.clamp(offset);
        }
    }

    /** {@code --shift-by N}: from the committed offset, which a partition must have. */
    record ShiftBy(long delta) implements OffsetReset {
        @Override
        public long target(PartitionOffsets offsets) {
            if (offsets.committed().isEmpty()) {
                throw new IllegalStateException("no committed offset to shift");
            }
            return offsets.clamp(offsets.committed().getAsLong() + delta);
        }
    }

    /** {@code --to-datetime}: the first offset at or after the time; the log end when no record is that recent. */
    record ToDatetime(Instant at) implements OffsetReset {
        @Override
        public long target(PartitionOffsets offsets) {
            return offsets.atTimestamp().orElse(offsets.latest());
        }

        @Override
        public OptionalLong timestamp() {
            return OptionalLong.of(at.toEpochMilli());
        }

        /** An ISO-8601 date and time: with an offset or {@code Z}, or without one in {@code zone}. */
        static ToDatetime parse(String text, ZoneId zone) {
            try {
                return new ToDatetime(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException withoutOffset) {
                try {
                    return new ToDatetime(LocalDateTime.parse(text).atZone(zone).toInstant());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("--to-datetime '" + text + "' is not an ISO-8601 date and "
                            + "time such as 2026-12-01T18:00:00Z or 2026-12-01T19:00:00.000+01:00");
                }
            }
        }
    }
}
