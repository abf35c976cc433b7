package io.sluice.gateway.http;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The Strimzi HTTP Bridge's error body: the HTTP status again, and what went wrong. */
public record ErrorBody(@JsonProperty("error_code") int errorCode, String message) {
}
