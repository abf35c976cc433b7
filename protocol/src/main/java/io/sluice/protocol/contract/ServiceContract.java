package io.sluice.protocol.contract;

import java.util.List;

import org.apache.kafka.common.protocol.ApiKeys;

import io.sluice.protocol.codec.ApiVersionRange;

/**
 * What every Sluice service shares: where it keeps its files, its HTTP port and its health endpoints, and the secret
 * that makes a process a member of its cluster.
 */
public final class ServiceContract {

    public static final Setting DATA_DIR = new Setting("sluice.data-dir");
    public static final Setting HTTP_HOST = new Setting("quarkus.http.host");
    public static final Setting HTTP_PORT = new Setting("quarkus.http.port");
    public static final int HTTP_PORT_DEFAULT = 8080;

    /** Every health path starts with this. */
    public static final String HEALTH_PATH = "/q/health";
    public static final String STARTED_PATH = "/q/health/started";
    public static final String LIVE_PATH = "/q/health/live";
    public static final String READY_PATH = "/q/health/ready";
    /** Prometheus' scrape path; with health, the only HTTP paths of a broker or coordinator open to anyone. */
    public static final String METRICS_PATH = "/q/metrics";

    /**
     * The cluster's member secret ({@code io.sluice.protocol.security.MemberCredential}): when set, every member
     * proves it on the brokers' and coordinators' Kafka ports (SCRAM) and HTTP endpoints, and encrypts JGroups with a
     * key derived from it. Every member of a cluster is given the same one.
     */
    public static final Setting MEMBER_SECRET = new Setting("sluice.security.member-secret");

    /**
     * The SASL a broker or coordinator serves to members when it has a member secret: SaslHandshake v1 (v0 would be
     * followed by raw tokens) and SaslAuthenticate.
     */
    public static final List<ApiVersionRange> MEMBER_SASL_APIS = List.of(
            ApiVersionRange.of(ApiKeys.SASL_HANDSHAKE, 1, 1),
            ApiVersionRange.of(ApiKeys.SASL_AUTHENTICATE, 0, 2));

    private ServiceContract() {
    }
}
