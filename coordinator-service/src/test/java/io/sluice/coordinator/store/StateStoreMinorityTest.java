package io.sluice.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sluice.replication.MemberPorts;
import io.sluice.replication.NodeSettings;

/** A state replica cut off from the two others, on real replicas (Infinispan over JGroups on loopback) in this JVM. */
class StateStoreMinorityTest {

    private static final Duration VIEW_CHANGE = Duration.ofSeconds(30);

    private final List<StateStore> stores = new ArrayList<>();

    @AfterEach
    void stopAll() {
        stores.forEach(StateStore::close);
    }

    @Test
    void aReplicaCutOffInAMinorityKnowsItBeforeTheMajorityActsAndAcknowledgesNoWrite() throws Exception {
        int[] ports = MemberPorts.free(3);
        String hosts = Arrays.stream(ports).mapToObj(p -> "127.0.0.1[" + p + "]").collect(Collectors.joining(","));
        for (int i = 0; i < 3; i++) {
            stores.add(StateStore.start(new NodeSettings("r" + i, "minority-" + ports[0],
                    Files.createTempDirectory("minority-r" + i), "127.0.0.1", ports[i], hosts, Optional.empty()), 3));
        }
        // Each replica decides in turn until all three run the state (the first starts it, the others take it).
        await().atMost(VIEW_CHANGE).until(() -> stores.stream().map(StateStore::hold).toList().stream()
                .allMatch(Optional::isEmpty));
        StateStore cut = stores.get(0);
        StateStore majority = stores.get(1);
        cut.put("before", "everywhere");
        await().atMost(VIEW_CHANGE).until(() -> stores.stream().allMatch(StateStore::inTouchWithMajority));

        StateStores.cutOff(cut);
        // Under way as the cut happens: it waits for replicas that no longer answer, until the view drops them.
        CompletableFuture<Void> during = cut.changeAsync(Map.of("during", "minority"), List.of());
        // The cut-off replica knows it is out of touch before the majority drops it from their view and can act.
        long[] after = StateStores.msUntilEach(VIEW_CHANGE, () -> !cut.inTouchWithMajority(),
                () -> !majority.members().contains("r0"));
        assertThat(after[0]).as("the cut-off replica's lease ran out").isNotNegative();
        assertThat(after[1]).as("the majority dropped the cut-off replica").isNotNegative();
        assertThat(after[0]).as("out of touch %d ms after the cut, dropped by the majority %d ms after it", after[0],
                after[1]).isLessThan(after[1]);
        await().atMost(VIEW_CHANGE).untilAsserted(() -> assertThat(cut.members()).containsExactly("r0"));
        assertThat(during).failsWithin(VIEW_CHANGE.toSeconds(), TimeUnit.SECONDS).withThrowableThat()
                .withRootCauseInstanceOf(NotInMajorityException.class);
        assertThatThrownBy(() -> cut.put("after", "minority")).isInstanceOf(NotInMajorityException.class);
        assertThat(cut.changeAsync(Map.of("after", "minority"), List.of()))
                .failsWithin(1, TimeUnit.SECONDS).withThrowableThat()
                .withRootCauseInstanceOf(NotInMajorityException.class);

        // The two others are a majority: they write on, and hold nothing the cut-off replica tried to write.
        await().atMost(VIEW_CHANGE).untilAsserted(() -> assertThat(majority.members()).containsExactly("r1", "r2"));
        await().atMost(VIEW_CHANGE).until(majority::inTouchWithMajority);
        assertThat(cut.inTouchWithMajority()).isFalse();
        majority.put("majority", "r1 and r2");
        assertThat(stores.get(2).get("majority")).hasValue("r1 and r2");
        assertThat(stores.get(2).get("before")).hasValue("everywhere");
        assertThat(stores.get(2).get("during")).isEmpty();
    }
}
