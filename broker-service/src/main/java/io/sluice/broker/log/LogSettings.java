package io.sluice.broker.log;

/** The topic configs a partition leader enforces, and its memory budget. */
public record LogSettings(int maxMessageBytes, boolean logAppendTime, long retentionMs, long retentionBytes,
        int chunkMaxBytes, int recentBytes) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
}
