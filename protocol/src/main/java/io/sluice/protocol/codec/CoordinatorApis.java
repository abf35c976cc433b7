package io.sluice.protocol.codec;

import java.util.List;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The group and transaction APIs the coordinator serves, with the versions implemented. The gateway advertises the
 * same ranges and forwards these requests as they are, so both read them from here.
 */
public final class CoordinatorApis {

    /**
     * Classic consumer groups, and transactions without the transaction protocol v2 (KIP-890): AddPartitionsToTxn,
     * AddOffsetsToTxn, EndTxn and TxnOffsetCommit stop at v3, before the versions that change their meaning.
     */
    public static final List<ApiVersionRange> GROUPS_AND_TRANSACTIONS = List.of(
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
            ApiVersionRange.of(ApiKeys.INIT_PRODUCER_ID, 0, 5),
            ApiVersionRange.of(ApiKeys.ADD_PARTITIONS_TO_TXN, 0, 3),
            ApiVersionRange.of(ApiKeys.ADD_OFFSETS_TO_TXN, 0, 3),
            ApiVersionRange.of(ApiKeys.END_TXN, 0, 3),
            ApiVersionRange.of(ApiKeys.TXN_OFFSET_COMMIT, 0, 3));

    private CoordinatorApis() {
    }
}
