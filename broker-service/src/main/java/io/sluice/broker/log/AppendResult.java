package io.sluice.broker.log;

import java.util.List;

import org.apache.kafka.common.protocol.Errors;

import io.sluice.protocol.record.BatchValidator.RecordError;

/** The answer to one partition's part of a produce request, with the records at fault when a batch is refused. */
public record AppendResult(Errors error, String message, long baseOffset, long logAppendTime, long logStartOffset,
        List<RecordError> recordErrors) {

    public AppendResult(Errors error, String message, long baseOffset, long logAppendTime, long logStartOffset) {
        this(error, message, baseOffset, logAppendTime, logStartOffset, List.of());
    }

    public static AppendResult failed(Errors error, String message) {
        return failed(error, message, List.of());
    }

    public static AppendResult failed(Errors error, String message, List<RecordError> recordErrors) {
        return new AppendResult(error, message, -1, -1, -1, recordErrors);
    }
}
