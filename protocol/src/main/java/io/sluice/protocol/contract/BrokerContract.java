package io.sluice.protocol.contract;

import java.util.List;

import org.apache.kafka.common.protocol.ApiKeys;

import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.SupportedApis;

/** A broker as the other processes, the CLI and the operator see it: its APIs, settings, ports and endpoints. */
public final class BrokerContract {

    /** The service's module and container image name. */
    public static final String SERVICE = "broker-service";

    /** Broker ids run from 1 to this; the gateway and the coordinator have fixed ids outside the range. */
    public static final int MAX_ID = 999;

    public static final int KAFKA_PORT = 9094;
    public static final int JGROUPS_PORT = 7800;

    public static final Setting ID = new Setting("sluice.broker.id");
    public static final Setting HOST = new Setting("sluice.broker.host");
    public static final Setting PORT = new Setting("sluice.broker.port");
    /** The address the gateway and the coordinator reach this broker's Kafka listener at. */
    public static final Setting ADVERTISED_HOST = new Setting("sluice.broker.advertised-host");
    public static final JGroupsSettings JGROUPS = new JGroupsSettings("sluice.broker.jgroups");

    /** {@code GET}: 200 once the store serves every partition and moves no data between brokers, 503 before. */
    public static final String STORE_BALANCE_PATH = "/store/balance";
    /** {@code POST}: stops the store on every broker at once, so that a full restart finds every entry. */
    public static final String STORE_SHUTDOWN_PATH = "/store/shutdown";
    /**
     * {@code GET}: per topic of more than one replica, the brokers whose stores own each partition's data, primary
     * owner first, or null while the store moves it; JSON.
     */
    public static final String STORE_OWNERS_PATH = "/store/owners";

    /** What the gateway forwards to partition leaders. */
    public static final List<ApiVersionRange> DATA_APIS = List.of(
            ApiVersionRange.of(ApiKeys.PRODUCE, 3, 13),
            ApiVersionRange.of(ApiKeys.FETCH, 4, 17),
            ApiVersionRange.of(ApiKeys.LIST_OFFSETS, 1, 9),
            ApiVersionRange.of(ApiKeys.OFFSET_FOR_LEADER_EPOCH, 2, 4),
            ApiVersionRange.of(ApiKeys.DELETE_RECORDS, 0, 2),
            ApiVersionRange.of(ApiKeys.DESCRIBE_PRODUCERS, 0, 0),
            ApiVersionRange.of(ApiKeys.DESCRIBE_LOG_DIRS, 1, 4));

    /**
     * WriteTxnMarkers comes from the transaction coordinator, not through the gateway. Only v1: v2 (KIP-1228) adds a
     * transaction version for the broker to check against, which this broker does not do.
     */
    public static final SupportedApis APIS = SupportedApis.of(DATA_APIS,
            List.of(ApiVersionRange.of(ApiKeys.WRITE_TXN_MARKERS, 1, 1)), ServiceContract.MEMBER_SASL_APIS);

    private BrokerContract() {
    }
}
