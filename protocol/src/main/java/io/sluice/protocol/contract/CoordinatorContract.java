package io.sluice.protocol.contract;

import java.util.List;

import org.apache.kafka.common.protocol.ApiKeys;

import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.SupportedApis;

/** A coordinator replica as the other processes, the CLI and the operator see it: APIs, settings, ports, endpoints. */
public final class CoordinatorContract {

    /** The service's module and container image name. */
    public static final String SERVICE = "coordinator-service";

    /** The node id the coordinator gives itself (as controller) in the Metadata it serves. */
    public static final int NODE_ID = 1000;

    public static final int KAFKA_PORT = 9093;
    public static final int JGROUPS_PORT = 7950;

    public static final Setting HOST = new Setting("sluice.coordinator.host");
    public static final Setting PORT = new Setting("sluice.coordinator.port");
    /** The address brokers and gateways reach this replica's Kafka listener at. */
    public static final Setting ADVERTISED_HOST = new Setting("sluice.coordinator.advertised-host");
    /** How many replicas the cluster has, 1 or 3: the active one needs a majority of them in its view. */
    public static final Setting REPLICAS = new Setting("sluice.coordinator.replicas");
    /** Replication factor of topics that do not name one (Kafka's default.replication.factor). */
    public static final Setting DEFAULT_REPLICATION_FACTOR = new Setting(
            "sluice.coordinator.default-replication-factor");
    public static final JGroupsSettings JGROUPS = new JGroupsSettings("sluice.coordinator.jgroups");
    /** Read by brokers and gateways: host:port of every coordinator replica, comma-separated. */
    public static final Setting BOOTSTRAP = new Setting("sluice.coordinator.bootstrap");
    /** Read by gateways: host:port of every coordinator replica's HTTP port, comma-separated. */
    public static final Setting HTTP_BOOTSTRAP = new Setting("sluice.coordinator.http-bootstrap");
    /** The bootstrap super user's name (default {@code admin}). */
    public static final Setting ADMIN_USER = new Setting("sluice.security.admin-user");
    /**
     * The bootstrap super user's password (optional): the active replica gives that user SCRAM-SHA-256 and
     * SCRAM-SHA-512 credentials for it when they are missing or do not verify.
     */
    public static final Setting ADMIN_PASSWORD = new Setting("sluice.security.admin-password");

    /** {@code GET}: brokers with liveness, topics with leaders, epochs, replicas and ISR, as JSON; 503 on a standby. */
    public static final String CLUSTER_PATH = "/cluster";

    /**
     * The HTTP consumer instances gateways serve, kept by the active replica (503 on a standby):
     * {@code /internal/consumer-instances/{group}[/{name}[/subscription|/assignments|/positions|/offsets]]}, JSON.
     */
    public static final String CONSUMER_INSTANCES_PATH = "/internal/consumer-instances";

    /** {@code GET}: what gateways authenticate and authorize clients by, a {@link SecurityFeed} as JSON; 503 on a standby. */
    public static final String SECURITY_PATH = "/internal/security";

    /**
     * Topic, config, leader election, partition reassignment (answered, never made: the store places replicas), SCRAM
     * credential, ACL and client quota administration, forwarded by the gateway at the client's own version.
     */
    public static final List<ApiVersionRange> ADMIN_APIS = List.of(
            ApiVersionRange.of(ApiKeys.CREATE_TOPICS, 2, 7),
            ApiVersionRange.of(ApiKeys.DELETE_TOPICS, 1, 6),
            ApiVersionRange.of(ApiKeys.CREATE_PARTITIONS, 0, 3),
            ApiVersionRange.of(ApiKeys.DESCRIBE_CONFIGS, 1, 4),
            ApiVersionRange.of(ApiKeys.ALTER_CONFIGS, 0, 2),
            ApiVersionRange.of(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1),
            ApiVersionRange.of(ApiKeys.ELECT_LEADERS, 0, 2),
            ApiVersionRange.of(ApiKeys.LIST_PARTITION_REASSIGNMENTS, 0, 0),
            ApiVersionRange.of(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, 0, 0),
            ApiVersionRange.of(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, 0, 0),
            ApiVersionRange.of(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, 0, 0),
            ApiVersionRange.of(ApiKeys.DESCRIBE_ACLS, 1, 3),
            ApiVersionRange.of(ApiKeys.CREATE_ACLS, 1, 3),
            ApiVersionRange.of(ApiKeys.DELETE_ACLS, 1, 3),
            ApiVersionRange.of(ApiKeys.DESCRIBE_CLIENT_QUOTAS, 0, 1),
            ApiVersionRange.of(ApiKeys.ALTER_CLIENT_QUOTAS, 0, 1));

    /**
     * Classic consumer groups and the consumer group protocol (KIP-848), and transactions without the transaction
     * protocol v2 (KIP-890): AddPartitionsToTxn, AddOffsetsToTxn, EndTxn and TxnOffsetCommit stop at v3, before the
     * versions that change their meaning. ListTransactions stops at v1: v2 filters by a client's regular expression.
     * The gateway forwards them as they are.
     */
    public static final List<ApiVersionRange> GROUP_AND_TRANSACTION_APIS = List.of(
            ApiVersionRange.of(ApiKeys.JOIN_GROUP, 0, 9),
            ApiVersionRange.of(ApiKeys.SYNC_GROUP, 0, 5),
            ApiVersionRange.of(ApiKeys.HEARTBEAT, 0, 4),
            ApiVersionRange.of(ApiKeys.LEAVE_GROUP, 0, 5),
            ApiVersionRange.of(ApiKeys.OFFSET_COMMIT, 2, 9),
            ApiVersionRange.of(ApiKeys.OFFSET_FETCH, 1, 9),
            ApiVersionRange.of(ApiKeys.OFFSET_DELETE, 0, 0),
            ApiVersionRange.of(ApiKeys.DESCRIBE_GROUPS, 0, 5),
            ApiVersionRange.of(ApiKeys.LIST_GROUPS, 0, 5),
            ApiVersionRange.of(ApiKeys.DELETE_GROUPS, 0, 2),
            ApiVersionRange.of(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0, 1),
            ApiVersionRange.of(ApiKeys.CONSUMER_GROUP_DESCRIBE, 0, 1),
            ApiVersionRange.of(ApiKeys.INIT_PRODUCER_ID, 0, 5),
            ApiVersionRange.of(ApiKeys.ADD_PARTITIONS_TO_TXN, 0, 3),
            ApiVersionRange.of(ApiKeys.ADD_OFFSETS_TO_TXN, 0, 3),
            ApiVersionRange.of(ApiKeys.END_TXN, 0, 3),
            ApiVersionRange.of(ApiKeys.TXN_OFFSET_COMMIT, 0, 3),
            ApiVersionRange.of(ApiKeys.LIST_TRANSACTIONS, 0, 1),
            ApiVersionRange.of(ApiKeys.DESCRIBE_TRANSACTIONS, 0, 0));

    /**
     * What brokers and gateways ask of the active replica: the cluster view, brokers' membership, and where the data
     * of the partitions a broker leads lives (AlterPartition).
     */
    public static final List<ApiVersionRange> CONTROL_APIS = List.of(
            ApiVersionRange.of(ApiKeys.METADATA, 0, 13),
            ApiVersionRange.of(ApiKeys.DESCRIBE_CLUSTER, 0, 1),
            ApiVersionRange.of(ApiKeys.BROKER_REGISTRATION, 0, 4),
            ApiVersionRange.of(ApiKeys.BROKER_HEARTBEAT, 0, 1),
            ApiVersionRange.of(ApiKeys.ALTER_PARTITION, 2, 3));

    public static final SupportedApis APIS = SupportedApis.of(CONTROL_APIS, ADMIN_APIS, GROUP_AND_TRANSACTION_APIS,
            ServiceContract.MEMBER_SASL_APIS);

    private CoordinatorContract() {
    }
}
