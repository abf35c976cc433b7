package io.sluice.protocol.contract;

import java.util.List;

import org.apache.kafka.common.protocol.ApiKeys;

import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.SupportedApis;

/** The gateway, the one address clients need: the APIs it offers, its settings and ports. */
public final class GatewayContract {

    /** The service's module and container image name. */
    public static final String SERVICE = "gateway-service";

    /** The one node every gateway replica advertises to clients, as leader of every partition. */
    public static final int NODE_ID = 0;

    public static final int KAFKA_PORT = 9092;

    public static final Setting HOST = new Setting("sluice.gateway.host");
    public static final Setting PORT = new Setting("sluice.gateway.port");
    /** The host clients are sent back to: in Kubernetes the gateway Service, never one pod. */
    public static final Setting ADVERTISED_HOST = new Setting("sluice.gateway.advertised-host");
    /** The port clients are sent back to; the listener's port when unset. */
    public static final Setting ADVERTISED_PORT = new Setting("sluice.gateway.advertised-port");

    /** The main listener's security protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
    public static final Setting SECURITY_PROTOCOL = new Setting("sluice.gateway.security-protocol");
    /** The listeners' certificate chain and key, PEM files. */
    public static final Setting TLS_CERTIFICATE = new Setting("sluice.gateway.tls.certificate");
    public static final Setting TLS_KEY = new Setting("sluice.gateway.tls.key");
    /** The CA client certificates must chain to, and whether one is asked for: none, request or required. */
    public static final Setting TLS_CLIENT_CA = new Setting("sluice.gateway.tls.client-ca");
    public static final Setting TLS_CLIENT_AUTH = new Setting("sluice.gateway.tls.client-auth");

    /** How long a SASL session lasts before the client must authenticate again (KIP-368); 0 for ever. */
    public static final Setting SASL_MAX_REAUTH_MS = new Setting("sluice.gateway.sasl.max-reauth-ms");
    /** Whether requests are checked against the ACLs, and the principals allowed everything (User:admin,…). */
    public static final Setting AUTHORIZATION_ENABLED = new Setting("sluice.gateway.authorization.enabled");
    public static final Setting SUPER_USERS = new Setting("sluice.gateway.authorization.super-users");

    /**
     * The HTTPS port, served beside the HTTP port once the gateway has a TLS certificate: the HTTP API's clients use it,
     * probes and scrapers may stay on HTTP.
     */
    public static final Setting HTTPS_PORT = new Setting("quarkus.http.ssl-port");
    public static final int HTTPS_PORT_DEFAULT = 8443;
    /** How clients of the HTTP API over HTTPS authenticate: none, or basic (HTTP Basic against the SCRAM users). */
    public static final Setting HTTP_AUTHENTICATION = new Setting("sluice.gateway.http.authentication");

    /** A further listener's port and security protocol, by the listener's name. */
    public static Setting listenerPort(String name) {
        return new Setting("sluice.gateway.listeners." + name + ".port");
    }

    public static Setting listenerSecurityProtocol(String name) {
        return new Setting("sluice.gateway.listeners." + name + ".security-protocol");
    }

    /** Whether a further listener asks clients for a certificate (none, request, required). */
    public static Setting listenerClientAuth(String name) {
        return new Setting("sluice.gateway.listeners." + name + ".client-auth");
    }

    /**
     * Answered by the gateway itself. SaslHandshake v0 is advertised because librdkafka looks for it, but answered
     * UNSUPPORTED_VERSION if sent: it is followed by raw SASL tokens outside Kafka's framing, and every client since
     * Kafka 1.0 sends v1.
     */
    public static final List<ApiVersionRange> OWN_APIS = List.of(
            ApiVersionRange.of(ApiKeys.API_VERSIONS, 0, 4),
            ApiVersionRange.of(ApiKeys.SASL_HANDSHAKE, 0, 1),
            ApiVersionRange.of(ApiKeys.SASL_AUTHENTICATE, 0, 2),
            ApiVersionRange.of(ApiKeys.METADATA, 0, 13),
            ApiVersionRange.of(ApiKeys.DESCRIBE_CLUSTER, 0, 1),
            ApiVersionRange.of(ApiKeys.FIND_COORDINATOR, 0, 6));

    /**
     * What clients are offered: its own APIs, and what it forwards at the brokers' and the coordinator's ranges.
     * Produce also advertises v0–2 (librdkafka turns compression off otherwise), though only v3+ with magic-2 batches
     * is parsed.
     */
    public static final SupportedApis APIS = SupportedApis.of(OWN_APIS,
            BrokerContract.DATA_APIS.stream()
                    .map(range -> range.api() == ApiKeys.PRODUCE ? ApiVersionRange.of(ApiKeys.PRODUCE, 0, range.max())
                            : range)
                    .toList(),
            CoordinatorContract.ADMIN_APIS, CoordinatorContract.GROUP_AND_TRANSACTION_APIS);

    private GatewayContract() {
    }
}
