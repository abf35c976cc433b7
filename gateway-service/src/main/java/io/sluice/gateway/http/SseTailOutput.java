package io.sluice.gateway.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * A live tail as Server-Sent Events: one event per record, its id the positions after it, its data the record as JSON.
 * The tail goes on once the last event is written, so the gateway holds at most one step's events for a slow reader.
 */
final class SseTailOutput implements TailOutput {

    private final SseEventSink sink;
    private final Sse sse;

    SseTailOutput(SseEventSink sink, Sse sse) {
        this.sink = sink;
        this.sse = sse;
    }

    @Override
    public boolean closed() {
        return sink.isClosed();
    }

    @Override
    public CompletionStage<Void> send(List<Event> events) {
        CompletionStage<?> last = CompletableFuture.completedFuture(null);
        for (Event event : events) {
            try {
                last = sink.send(sse.newEventBuilder()
                        .id(event.id())
                        .data(EmbeddedFormat.MAPPER.writeValueAsString(event.record()))
                        .build());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return last.thenApply(written -> null);
    }

    @Override
    public CompletionStage<Void> idle() {
        return sink.send(sse.newEventBuilder().comment("waiting for records").build()).thenApply(written -> null);
    }

    /** An {@code error} event saying why, then the end of the stream. */
    @Override
    public void end(HttpError why) {
        if (!sink.isClosed()) {
            sink.send(sse.newEventBuilder().name("error").data(why.getMessage()).build())
                    .whenComplete((written, failure) -> sink.close());
        }
    }
}
