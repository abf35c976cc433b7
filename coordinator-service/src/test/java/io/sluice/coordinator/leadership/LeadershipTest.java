package io.sluice.coordinator.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import io.sluice.coordinator.metadata.PartitionRecord;
import io.sluice.coordinator.metadata.TopicRecord;

class LeadershipTest {

    private static TreeSet<Integer> live(Integer... brokers) {
        return new TreeSet<>(List.of(brokers));
    }

    @Test
    void assignsReplicasRoundRobinWithTheLeaderFirst() {
        List<List<Integer>> assignment = Leadership.assign(3, 2, List.of(1, 2, 3), 0);

        assertThat(assignment).containsExactly(List.of(1, 2), List.of(2, 3), List.of(3, 1));
    }

    @Test
    void newPartitionsOfSeveralReplicasWaitForTheirDataOwnerToLead() {
        List<PartitionRecord> replicated = Leadership.place(4, 2, 2, List.of(1, 2, 3), 1);
        List<PartitionRecord> single = Leadership.place(0, 2, 1, List.of(1, 2, 3), 1);

        assertThat(replicated).containsExactly(new PartitionRecord(4, -1, 0, List.of(2, 3)),
                new PartitionRecord(5, -1, 0, List.of(3, 1)));
        assertThat(single).containsExactly(new PartitionRecord(0, 2, 0, List.of(2)),
                new PartitionRecord(1, 3, 0, List.of(3)));
        assertThat(Leadership.elect(replicated.get(0), live(1, 3)).leader()).as("elected when nobody reports")
                .isEqualTo(3);
    }

    @Test
    void liveLeaderStays() {
        PartitionRecord p = new PartitionRecord(0, 2, 4, List.of(2, 3, 1));

        assertThat(Leadership.elect(p, live(1, 2, 3))).isSameAs(p);
    }

    @Test
    void deadLeaderMovesToTheNextLiveReplicaWithANewEpoch() {
        PartitionRecord p = new PartitionRecord(0, 2, 4, List.of(2, 3, 1));

        PartitionRecord elected = Leadership.elect(p, live(1, 3));

        assertThat(elected.leader()).isEqualTo(3);
        assertThat(elected.leaderEpoch()).isEqualTo(5);
    }

    @Test
    void withNoLiveReplicaAnyLiveBrokerLeads() {
        PartitionRecord p = new PartitionRecord(0, 1, 0, List.of(1, 2));

        assertThat(Leadership.elect(p, live(3, 4)).leader()).isIn(3, 4);
        assertThat(Leadership.elect(p, live()).leader()).isEqualTo(-1);
    }

    @Test
    void singleReplicaPartitionIsOfflineWhileItsBrokerIsAwayAndReturnsToIt() {
        PartitionRecord p = new PartitionRecord(0, 1, 4, List.of(1));

        PartitionRecord offline = Leadership.elect(p, live(2, 3));
        assertThat(offline.leader()).isEqualTo(-1);
        assertThat(offline.leaderEpoch()).isEqualTo(5);

        PartitionRecord back = Leadership.elect(offline, live(1, 2, 3));
        assertThat(back.leader()).isEqualTo(1);
        assertThat(back.leaderEpoch()).isEqualTo(6);
    }

    @Test
    void leadershipMovesToTheLivePrimaryOwnerOfTheData() {
        PartitionRecord p = new PartitionRecord(0, 1, 4, List.of(1, 2, 3));

        PartitionRecord placed = Leadership.followOwners(p, List.of(3, 1, 2), live(1, 2, 3));
        assertThat(placed.leader()).isEqualTo(3);
        assertThat(placed.leaderEpoch()).isEqualTo(5);
        assertThat(placed.replicas()).containsExactly(3, 1, 2);

        PartitionRecord primaryDown = Leadership.followOwners(p, List.of(3, 2, 1), live(1, 2));
        assertThat(primaryDown.leader()).as("the first live owner").isEqualTo(2);
        assertThat(primaryDown.replicas()).containsExactly(3, 2, 1);
    }

    @Test
    void ownersThatMatchChangeNothing() {
        PartitionRecord p = new PartitionRecord(0, 2, 4, List.of(2, 3));

        assertThat(Leadership.followOwners(p, List.of(2, 3), live(1, 2, 3))).isSameAs(p);
    }

    @Test
    void sameLeaderNewOwnersKeepsTheEpoch() {
        PartitionRecord p = new PartitionRecord(0, 2, 4, List.of(2, 3));

        PartitionRecord moved = Leadership.followOwners(p, List.of(2, 1), live(1, 2, 3));
        assertThat(moved.leader()).isEqualTo(2);
        assertThat(moved.leaderEpoch()).isEqualTo(4);
        assertThat(moved.replicas()).containsExactly(2, 1);
    }

    @Test
    void fewerOwnersThanTheReplicationFactorKeepTheReplicaCount() {
        PartitionRecord p = new PartitionRecord(0, 1, 0, List.of(1, 2, 3));

        PartitionRecord placed = Leadership.followOwners(p, List.of(2, 3), live(2, 3));
        assertThat(placed.replicas()).as("the view's replica count is the topic's replication factor")
                .containsExactly(2, 3, 1);
        assertThat(placed.leader()).isEqualTo(2);
    }

    @Test
    void noLiveOwnerKeepsTheLeader() {
        PartitionRecord p = new PartitionRecord(0, 1, 3, List.of(1, 2));

        PartitionRecord placed = Leadership.followOwners(p, List.of(2, 3), live(1));
        assertThat(placed.leader()).isEqualTo(1);
        assertThat(placed.leaderEpoch()).isEqualTo(3);
    }

    @Test
    void restartedLeaderGetsANewEpoch() {
        TopicRecord topic = new TopicRecord("t", "id", 1, Map.of(), List.of(new PartitionRecord(0, 1, 7, List.of(1))));

        assertThat(Leadership.bumpLedBy(topic, 1).partitions().get(0).leaderEpoch()).isEqualTo(8);
        assertThat(Leadership.bumpLedBy(topic, 2)).isSameAs(topic);
    }

    @Test
    void aPreferredElectionGivesTheLeadershipBackToTheFirstReplicaWhenItIsLive() {
        PartitionRecord p = new PartitionRecord(0, 3, 4, List.of(1, 3, 2));

        Leadership.Election moved = Leadership.electOnRequest(p, ElectionType.PREFERRED, live(1, 2, 3));
        assertThat(moved.error()).isEqualTo(Errors.NONE);
        assertThat(moved.partition().leader()).isEqualTo(1);
        assertThat(moved.partition().leaderEpoch()).isEqualTo(5);
        assertThat(moved.partition().replicas()).containsExactly(1, 3, 2);

        Leadership.Election again = Leadership.electOnRequest(moved.partition(), ElectionType.PREFERRED,
                live(1, 2, 3));
        assertThat(again.error()).isEqualTo(Errors.ELECTION_NOT_NEEDED);
        assertThat(again.partition()).isSameAs(moved.partition());

        Leadership.Election away = Leadership.electOnRequest(p, ElectionType.PREFERRED, live(2, 3));
        assertThat(away.error()).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        assertThat(away.partition()).isSameAs(p);
    }

    @Test
    void anUncleanElectionIsNeededOnlyWithoutALeader() {
        PartitionRecord led = new PartitionRecord(0, 3, 4, List.of(1, 3, 2));
        PartitionRecord leaderless = new PartitionRecord(1, -1, 2, List.of(1, 3, 2));
        PartitionRecord offline = new PartitionRecord(2, -1, 2, List.of(4));

        assertThat(Leadership.electOnRequest(led, ElectionType.UNCLEAN, live(1, 2, 3)).error())
                .isEqualTo(Errors.ELECTION_NOT_NEEDED);
        Leadership.Election elected = Leadership.electOnRequest(leaderless, ElectionType.UNCLEAN, live(2, 3));
        assertThat(elected.error()).isEqualTo(Errors.NONE);
        assertThat(elected.partition().leader()).as("the first live replica").isEqualTo(3);
        assertThat(elected.partition().leaderEpoch()).isEqualTo(3);
        Leadership.Election nobody = Leadership.electOnRequest(offline, ElectionType.UNCLEAN, live(1, 2, 3));
        assertThat(nobody.error()).as("only its one replica holds its data").isEqualTo(
                Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE);
        assertThat(nobody.partition().leader()).isEqualTo(-1);
    }
}
