package io.sluice.coordinator.metadata;

/** A registered broker: where its listener is, and which incarnation (process) registered last. */
public record BrokerRecord(int id, String host, int port, String incarnation, long epoch) {
}
