package io.sluice.gateway.http;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Where a group reset moves a partition's committed offset, with kafka-consumer-groups' rules. */
final class ResetTarget {

    /** The most partitions one reset may name. */
    private static final int MAX_PARTITIONS = 10_000;

    private ResetTarget() {
    }

    /** Checks the reset; returns the time whose offsets it needs looked up, or -1 when it needs none. */
    static long check(GroupBodies.Reset reset) {
        if (reset.topic() == null || reset.topic().isEmpty()) {
            throw HttpError.unprocessable("topic is required");
        }
        if (reset.partitions() != null && (reset.partitions().isEmpty()
                || reset.partitions().size() > MAX_PARTITIONS || reset.partitions().contains(null))) {
            throw HttpError.unprocessable("partitions must list from 1 to " + MAX_PARTITIONS + " partitions, or be "
                    + "left out for all");
        }
        String to = reset.to() == null ? "" : reset.to();
        switch (to) {
            case "earliest", "latest" -> {
                return -1;
            }
            case "offset" -> {
                if (reset.offset() == null || reset.offset() < 0) {
                    throw HttpError.unprocessable("to=offset needs an offset from 0");
                }
                return -1;
            }
            case "timestamp" -> {
                if (reset.timestamp() == null) {
                    throw HttpError.unprocessable("to=timestamp needs a timestamp, e.g. 2026-12-02T18:00:00Z");
                }
                try {
                    return Math.max(0, OffsetDateTime.parse(reset.timestamp()).toInstant().toEpochMilli());
                } catch (DateTimeParseException | ArithmeticException e) {
                    throw HttpError.unprocessable("timestamp must be an ISO-8601 date and time, e.g. "
                            + "2026-12-02T18:00:00Z");
                }
            }
            default -> throw HttpError.unprocessable("to must be earliest, latest, offset or timestamp");
        }
    }

    /**
     * The new committed offset of a partition whose log holds {@code first} to before {@code end}: an offset is kept
     * within the log; a time finds the first record at or after it ({@code atTime}), or the end when none is.
     */
    static long of(GroupBodies.Reset reset, long first, long end, Long atTime) {
        return switch (reset.to()) {
            case "earliest" -> first;
            case "latest" -> end;
            case "offset" -> Math.max(first, Math.min(end, reset.offset()));
            default -> atTime == null || atTime < 0 ? end : atTime;
        };
    }
}
