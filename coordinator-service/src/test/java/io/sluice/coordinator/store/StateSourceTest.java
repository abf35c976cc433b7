package io.sluice.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.coordinator.store.StateSource.Holding;
import io.sluice.coordinator.store.StateSource.Plan;
import io.sluice.coordinator.store.StateSource.Step;

/** Where a replica takes the coordinator state from, for the views and holdings a restart order can produce. */
class StateSourceTest {

    private static final StateVersion BEFORE_A_LEFT = new StateVersion(7, 3);
    private static final StateVersion AFTER_A_LEFT = new StateVersion(7, 4);

    @Test
    void aReplicaRestartedFirstAndAloneWaitsForAMajorityInsteadOfServingItsFiles() {
        Plan plan = StateSource.plan("a", List.of("a"), Map.of("a", stopped(BEFORE_A_LEFT)), 3);

        assertThat(plan.step()).isEqualTo(Step.WAIT);
        assertThat(plan.reason()).contains("majority of the 3 replicas");
    }

    @Test
    void whenNobodyRunsTheStateTheNewestFilesOfAMajorityStartItAndTheOlderOnesWait() {
        Map<String, Holding> told = Map.of("a", stopped(BEFORE_A_LEFT), "b", stopped(AFTER_A_LEFT));

        Plan b = StateSource.plan("b", List.of("a", "b"), told, 3);
        Plan a = StateSource.plan("a", List.of("a", "b"), told, 3);

        assertThat(b.step()).isEqualTo(Step.FORM);
        assertThat(b.from().epoch()).as("a new lineage").isEqualTo(8);
        assertThat(a.step()).isEqualTo(Step.WAIT);
        assertThat(a.reason()).contains("b holds the newest state (7/4");
    }

    @Test
    void aNewerLineageWinsOverALaterViewOfAnOlderOne() {
        Map<String, Holding> told = Map.of("a", stopped(new StateVersion(7, 40)), "b", stopped(new StateVersion(8, 2)));

        assertThat(StateSource.plan("b", List.of("a", "b"), told, 3).step()).isEqualTo(Step.FORM);
        assertThat(StateSource.plan("a", List.of("a", "b"), told, 3).step()).isEqualTo(Step.WAIT);
    }

    @Test
    void equallyNewFilesStartFromTheOldestMemberOfTheView() {
        Map<String, Holding> told = Map.of("b", stopped(AFTER_A_LEFT), "c", stopped(AFTER_A_LEFT));

        assertThat(StateSource.plan("c", List.of("c", "b"), told, 3).step()).isEqualTo(Step.FORM);
        assertThat(StateSource.plan("b", List.of("c", "b"), told, 3).step()).isEqualTo(Step.WAIT);
    }

    @Test
    void nobodyStartsTheStateBeforeEveryMemberOfTheViewToldWhatItHolds() {
        Plan plan = StateSource.plan("b", List.of("a", "b"), Map.of("b", stopped(AFTER_A_LEFT)), 3);

        assertThat(plan.step()).isEqualTo(Step.WAIT);
        assertThat(plan.reason()).contains("[a]");
    }

    @Test
    void aReplicaJoiningReplicasThatRunTheStateTakesTheirsWhateverItsFilesHold() {
        Map<String, Holding> told = Map.of("a", stopped(BEFORE_A_LEFT), "c", running(AFTER_A_LEFT));

        Plan plan = StateSource.plan("a", List.of("c", "a"), told, 3);

        assertThat(plan.step()).isEqualTo(Step.JOIN);
        assertThat(plan.from()).isEqualTo(AFTER_A_LEFT);
        assertThat(StateSource.plan("a", List.of("c", "a"), Map.of("a", emptied(BEFORE_A_LEFT), "c",
                running(AFTER_A_LEFT)), 3).step()).isEqualTo(Step.JOIN);
    }

    @Test
    void aReplicaWithNewerFilesThanTheRunningStateDoesNotTakeItAndTheRunningOneDoesNotAct() {
        Map<String, Holding> told = Map.of("a", running(BEFORE_A_LEFT), "b", stopped(AFTER_A_LEFT));

        Plan b = StateSource.plan("b", List.of("a", "b"), told, 3);

        assertThat(b.step()).isEqualTo(Step.WAIT);
        assertThat(b.reason()).contains("older than this replica's 7/4");
        assertThat(StateSource.whyNotAct("a", List.of("a", "b"), told, 3)).hasValueSatisfying(
                reason -> assertThat(reason).contains("b holds newer state (7/4)"));
    }

    @Test
    void aRunningReplicaActsOnceAMajorityHoldsTheStateAndNoReplicaInItsViewHoldsNewerFiles() {
        Map<String, Holding> joining = Map.of("a", running(AFTER_A_LEFT), "b", emptied(AFTER_A_LEFT), "c",
                stopped(BEFORE_A_LEFT));
        Map<String, Holding> joined = Map.of("a", running(AFTER_A_LEFT), "b", running(AFTER_A_LEFT), "c",
                stopped(BEFORE_A_LEFT));

        assertThat(StateSource.whyNotAct("a", List.of("a", "b", "c"), joining, 3)).hasValueSatisfying(
                reason -> assertThat(reason).contains("majority of the 3 replicas to hold the state"));
        assertThat(StateSource.whyNotAct("a", List.of("a", "b", "c"), joined, 3)).isEmpty();
    }

    @Test
    void replicasWhoseFilesAreOlderThanStateOneOfThemKnowsOfWaitForTheReplicaHoldingIt() {
        // b emptied its files to take a's state (7/4), and a stopped before it came over; c was away since 7/3.
        Map<String, Holding> told = Map.of("b", emptied(AFTER_A_LEFT), "c", stopped(BEFORE_A_LEFT));

        Plan c = StateSource.plan("c", List.of("b", "c"), told, 3);

        assertThat(c.step()).isEqualTo(Step.WAIT);
        assertThat(c.reason()).contains("newest state (7/4) is on a replica not in view");
        assertThat(StateSource.plan("b", List.of("b", "c"), told, 3).step()).isEqualTo(Step.WAIT);
    }

    @Test
    void aSingleReplicaStartsFromItsOwnFiles() {
        Plan plan = StateSource.plan("solo", List.of("solo"), Map.of("solo", stopped(BEFORE_A_LEFT)), 1);

        assertThat(plan.step()).isEqualTo(Step.FORM);
    }

    @Test
    void aRecordIsWrittenAndReadBackAndAMissingOneIsNone(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("state.record");
        assertThat(StateRecord.read(file)).isEqualTo(StateRecord.NONE);

        StateRecord emptied = new StateRecord(BEFORE_A_LEFT, BEFORE_A_LEFT).emptied(AFTER_A_LEFT);
        emptied.write(file);
        assertThat(StateRecord.read(file)).isEqualTo(new StateRecord(StateVersion.NONE, AFTER_A_LEFT));
        emptied.holding(new StateVersion(9, 1)).write(file);

        assertThat(StateRecord.read(file)).isEqualTo(new StateRecord(new StateVersion(9, 1), new StateVersion(9, 1)));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(new StateVersion(9, 1)).isGreaterThan(AFTER_A_LEFT).isGreaterThan(StateVersion.NONE);
    }

    private static Holding stopped(StateVersion version) {
        return new Holding(new StateRecord(version, version), false);
    }

    private static Holding running(StateVersion version) {
        return new Holding(new StateRecord(version, version), true);
    }

    /** Emptied to take {@code taking}, which has not come over. */
    private static Holding emptied(StateVersion taking) {
        return new Holding(new StateRecord(StateVersion.NONE, taking), false);
    }
}
