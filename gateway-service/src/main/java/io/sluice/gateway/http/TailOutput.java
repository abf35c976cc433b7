package io.sluice.gateway.http;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Where a {@link TopicTail} sends its records: a Server-Sent Events stream or a WebSocket. */
interface TailOutput {

    /** One record of the tail and its id: every partition's next offset after it ({@code 0:13,1:7}). */
    record Event(String id, StreamedRecord record) {
    }

    /** Whether the client has gone: the tail then stops. */
    boolean closed();

    /**
     * Sends the events in order; completes when the tail may fetch again, which is once the client has taken enough
     * of them that the gateway holds no more than a bounded amount for it.
     */
    CompletionStage<Void> send(List<Event> events);

    /** Nothing came in a whole fetch's wait: a keep-alive, which also notices a departed client. */
    CompletionStage<Void> idle();

    /** Ends the tail, telling the client why. */
    void end(HttpError why);
}
