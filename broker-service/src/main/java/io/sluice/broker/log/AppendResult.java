package io.sluice.broker.log;

import org.apache.kafka.common.protocol.Errors;

/** The answer to one partition's part of a produce request. */
public record AppendResult(Errors error, String message, long baseOffset, long logAppendTime, long logStartOffset) {

    public static AppendResult failed(Errors error, String message) {
        return new AppendResult(error, message, -1, -1, -1);
    }
}
