package io.sluice.gateway.http;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer to a produce request, as the Strimzi HTTP Bridge gives it: one outcome per record, in order. */
public record ProduceAnswer(List<Outcome> offsets) {

    /** Where a record was stored, or why it was not. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outcome(Integer partition, Long offset, @JsonProperty("error_code") Integer errorCode,
            String message) {

        static Outcome stored(int partition, long offset) {
            return new Outcome(partition, offset, null, null);
        }

        static Outcome failed(int partition, int status, String message) {
            return new Outcome(partition, null, status, message);
        }
    }
}
