package io.sluice.gateway.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.sluice.protocol.metadata.ClusterView.TopicView;
import io.vertx.core.Context;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;

/**
 * Confluent REST v3's streaming produce: a chunked request of records one after another (concatenated JSON) for as long
 * as the client keeps it open, answered 200 at once and then with one delivery report per record, in order, as each
 * is stored. The records that a chunk completes are produced together; the request is not read again until their
 * reports are written, so a client cannot grow the gateway's memory by sending faster than the cluster stores. A
 * record over the size limit, or JSON that cannot be read on, is reported and ends the stream; a record that is read
 * but refused (a bad field, a partition the topic lacks) is reported and the stream goes on.
 */
final class V3ProduceStream {

    private static final Logger LOG = Logger.getLogger(V3ProduceStream.class);
    /** A record's JSON may take this much more than its key and value: base64, headers, field names. */
    private static final int JSON_OVERHEAD = 64 * 1024;

    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final Context context;
    private final String clusterId;
    private final TopicView topic;
    private final HttpProducer producer;
    private final HttpCaller caller;
    private final JsonParser parser;
    private final int maxRecordJson;
    private TokenBuffer record;
    /** Where the value being read began, in bytes of the request: the end of the last one. */
    private long valueStart;
    private boolean ended;
    private boolean finished;

    V3ProduceStream(HttpServerRequest request, Context context, String clusterId, TopicView topic,
            HttpProducer producer, HttpCaller caller, int maxRecordSize) {
        this.request = request;
        this.response = request.response();
        this.context = context;
        this.clusterId = clusterId;
        this.topic = topic;
        this.producer = producer;
        this.caller = caller;
        this.maxRecordJson = maxRecordJson(maxRecordSize);
        try {
            this.parser = EmbeddedFormat.MAPPER.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException("Jackson cannot read JSON as it arrives", e);
        }
    }

    /** The most bytes of JSON one record may take: its bytes in base64, with room for its key, headers and fields. */
    static int maxRecordJson(int maxRecordSize) {
        return (int) Math.min(Integer.MAX_VALUE, maxRecordSize / 3L * 4 + JSON_OVERHEAD);
    }

    /** Answers 200 and reads the records as they come; on the request's context. */
    void start() {
        response.setChunked(true).setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        response.writeHead();
        ByteArrayFeeder feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        request.handler(chunk -> {
            if (!finished) {
                try {
                    feeder.feedInput(chunk.getBytes(), 0, chunk.length());
                } catch (IOException e) {
                    throw new IllegalStateException("fed before the last input was read", e);
                }
                readRecords();
            }
        });
        request.endHandler(v -> {
            ended = true;
            if (!finished) {
                feeder.endOfInput();
                readRecords();
            }
        });
        request.exceptionHandler(e -> LOG.debugf("streaming produce to %s: %s", topic.name(), e));
        request.resume();
    }

    /**
     * Reads the records the input so far completes and produces them. JSON that cannot be read on, a record over the
     * size limit or the end of the request ends the stream, after them.
     */
    private void readRecords() {
        List<JsonNode> complete = new ArrayList<>();
        V3Bodies.DeliveryReport last = null;
        try {
            JsonToken token;
            while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
                if (record == null) {
                    record = new TokenBuffer(parser);
                }
                record.copyCurrentEvent(parser);
                if (parser.getParsingContext().inRoot()) {
                    complete.add(EmbeddedFormat.MAPPER.readTree(record.asParser()));
                    record = null;
                    valueStart = parser.currentLocation().getByteOffset();
                }
            }
            // Counted from the last value's end: a long string is held by the parser before it is a token.
            if (parser.currentLocation().getByteOffset() - valueStart > maxRecordJson) {
                last = failure(413, "a record takes more than " + maxRecordJson + " bytes of JSON");
            } else if (ended && record != null) {
                last = failure(400, "the request ended inside a record");
            }
        } catch (JacksonException e) {
            last = failure(400, "the records are not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            last = failure(400, "the records cannot be read");
        }
        if (!complete.isEmpty()) {
            produce(complete, last);
        } else if (last != null || ended) {
            finish(last);
        }
    }

    /**
     * Produces records on a worker thread, the request paused until their reports are written; then the stream goes
     * on, or ends (with {@code last} if given).
     */
    private void produce(List<JsonNode> records, V3Bodies.DeliveryReport last) {
        request.pause();
        HttpServices.onWorker(() -> {
            caller.produces(topic.name());
            return V3Records.produce(producer, clusterId, topic, records, caller.quota());
        }).whenComplete((reports, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                ErrorMappers.Failure refused = ErrorMappers.Failure.of(failure);
                records.forEach(r -> write(failure(refused.status(), refused.message())));
            } else {
                reports.forEach(this::write);
            }
            if (last != null || ended) {
                finish(last);
            } else {
                request.resume();
            }
        }));
    }

    /** Ends the response, after {@code last} if given; a request not read to its end has its connection closed. */
    private void finish(V3Bodies.DeliveryReport last) {
        finished = true;
        if (last != null) {
            write(last);
        }
        if (!response.closed()) {
            boolean whole = ended;
            response.end().onComplete(v -> {
                if (!whole) {
                    request.connection().close();
                }
            });
        }
    }

    private void write(V3Bodies.DeliveryReport report) {
        if (!response.closed()) {
            response.write(TopicSocket.json(report) + "\n");
        }
    }

    private static V3Bodies.DeliveryReport failure(int status, String message) {
        return new V3Bodies.DeliveryReport(status, message, null, null, null, null, null, null, null);
    }
}
