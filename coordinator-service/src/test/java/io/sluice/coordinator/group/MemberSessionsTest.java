package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Members' sessions as the group coordinator judges them, with its clock moved by hand and its session check run
 * every 500 ms of that clock. Group {@code g} is stable with one member, whose session timeout is 6 s.
 */
class MemberSessionsTest {

    private static final int SESSION_TIMEOUT_MS = 6_000;
    private static final long CHECK_MS = 500;

    private static StateStore store;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private GroupCoordinator groups;
    private String member;

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("member-sessions-test");
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    @BeforeEach
    void stableGroup() {
        store.withPrefix("").keySet().forEach(store::remove);
        groups = new GroupCoordinator(store, new ObjectMapper(),
                new GroupSettings(SESSION_TIMEOUT_MS, 1_800_000, 0, 4096, 604_800_000, 600_000, 45_000, 5_000, 1_000),
                new InstanceSettings(300_000, 1000),
                topic -> Optional.empty(), List::of, now::get);
        groups.start();
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
        JoinGroupResponseData joined = groups.join(new JoinGroupRequestData().setGroupId("g").setMemberId("")
                .setProtocolType("consumer").setProtocols(protocols).setSessionTimeoutMs(SESSION_TIMEOUT_MS)
                .setRebalanceTimeoutMs(60_000), (short) 3, "client", "/127.0.0.1").join();
        member = joined.memberId();
        groups.sync(new SyncGroupRequestData().setGroupId("g").setMemberId(member).setGenerationId(1)
                .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(member)
                        .setAssignment(new byte[0]))))
                .join();
    }

    @AfterEach
    void stopGroups() {
        groups.close();
    }

    @Test
    void aMemberSilentPastItsSessionTimeoutIsRemoved() {
        checkFor(SESSION_TIMEOUT_MS + 2 * CHECK_MS);

        assertThat(heartbeat()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aCoordinatorPausedLongerThanTheSessionTimeoutRemovesNoMember() {
        checkFor(2 * CHECK_MS);

        now.addAndGet(15_000);
        groups.checkSessions().join();

        assertThat(heartbeat()).isEqualTo(Errors.NONE);

        checkFor(SESSION_TIMEOUT_MS + 2 * CHECK_MS);

        assertThat(heartbeat()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    /** Session checks every 500 ms for {@code durationMs}, the member silent. */
    private void checkFor(long durationMs) {
        for (long passed = 0; passed < durationMs; passed += CHECK_MS) {
            now.addAndGet(CHECK_MS);
            groups.checkSessions().join();
        }
    }

    private Errors heartbeat() {
        return Errors.forCode(groups.heartbeat(new HeartbeatRequestData().setGroupId("g").setMemberId(member)
                .setGenerationId(1)).join().errorCode());
    }
}
