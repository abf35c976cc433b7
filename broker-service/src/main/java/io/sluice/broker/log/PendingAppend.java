package io.sluice.broker.log;

import java.util.concurrent.CompletableFuture;

/** A produce waiting for the chunk holding its batch to be written. */
record PendingAppend(CompletableFuture<AppendResult> result, long baseOffset, long appendTime) {
}
