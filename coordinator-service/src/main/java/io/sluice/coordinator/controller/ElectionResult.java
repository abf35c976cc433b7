package io.sluice.coordinator.controller;

import org.apache.kafka.common.protocol.Errors;

/** What an election an administrator asked for made of one partition: Kafka's error, and why when it was refused. */
public record ElectionResult(String topic, int partition, Errors error, String message) {
}
