package io.sluice.coordinator.group;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/** One member of a consumer group, with the join or sync answer it is waiting for, if any. */
final class GroupMember {

    private static final byte[] NO_ASSIGNMENT = new byte[0];

    private String memberId;
    private final String groupInstanceId;
    String clientId;
    String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    List<MemberProtocol> protocols;
    byte[] assignment = NO_ASSIGNMENT;
    long lastHeartbeatMs;
    /** The JoinGroup answer the member waits for while the group rebalances; its request version. */
    CompletableFuture<JoinGroupResponseData> awaitingJoin;
    short joinVersion;
    CompletableFuture<SyncGroupResponseData> awaitingSync;

    GroupMember(String memberId, String groupInstanceId) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
    }

    String memberId() {
        return memberId;
    }

    void replaceMemberId(String newId) {
        memberId = newId;
    }

    String groupInstanceId() {
        return groupInstanceId;
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    boolean awaitingJoin() {
        return awaitingJoin != null;
    }

    byte[] metadata(String protocol) {
        for (MemberProtocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        return NO_ASSIGNMENT;
    }

    boolean supports(String protocol) {
        return protocols.stream().anyMatch(p -> p.name().equals(protocol));
    }

    void heartbeat(long nowMs) {
        lastHeartbeatMs = nowMs;
    }

    /** Silent past its session timeout; a member parked in JoinGroup is alive while it waits. */
    boolean expired(long nowMs) {
        return awaitingJoin == null && nowMs - lastHeartbeatMs > sessionTimeoutMs;
    }
}
