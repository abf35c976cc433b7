package io.sluice.gateway.http;

import org.apache.kafka.common.protocol.Errors;

/** The HTTP status that tells an HTTP client what a Kafka error tells a Kafka client. */
final class KafkaErrorStatus {

    private KafkaErrorStatus() {
    }

    static int of(Errors error) {
        return switch (error) {
            case NONE -> 200;
            case UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_TOPIC_ID -> 404;
            case TOPIC_ALREADY_EXISTS -> 409;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE -> 413;
            case OFFSET_OUT_OF_RANGE -> 416;
            case INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_REPLICA_ASSIGNMENT,
                    INVALID_CONFIG, INVALID_REQUEST, INVALID_RECORD, CORRUPT_MESSAGE, INVALID_TIMESTAMP,
                    POLICY_VIOLATION, INVALID_REQUIRED_ACKS, UNSUPPORTED_FOR_MESSAGE_FORMAT ->
                422;
            case TOPIC_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED -> 403;
            case NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH,
                    REQUEST_TIMED_OUT, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, KAFKA_STORAGE_ERROR,
                    NOT_CONTROLLER, COORDINATOR_NOT_AVAILABLE, NETWORK_EXCEPTION, OFFSET_NOT_AVAILABLE ->
                503;
            default -> 500;
        };
    }

    /** A message for the client: the leader's own, or Kafka's text for the error. */
    static String message(Errors error, String given) {
        return error.name() + ": " + (given == null || given.isEmpty() ? error.message() : given);
    }
}
