package io.sluice.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.stream.IntStream;

import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

class LargestSideLeadsTest {

    private final LargestSideLeads policy = new LargestSideLeads();
    /** Four addresses in JGroups' order: JGroups' own merge policy would make the lowest coordinator lead. */
    private final List<Address> sorted = IntStream.range(0, 4).mapToObj(i -> (Address) UUID.randomUUID()).sorted()
            .toList();

    @Test
    void theCoordinatorOfTheLargerSideLeadsWhateverTheAddresses() {
        Address away = sorted.get(0);
        List<Address> majority = List.of(sorted.get(2), sorted.get(1));

        assertThat(policy.getNewMembership(List.of(List.of(away), majority)))
                .containsExactly(sorted.get(2), sorted.get(1), away);
        assertThat(policy.getNewMembership(List.of(majority, List.of(away))))
                .containsExactly(sorted.get(2), sorted.get(1), away);
    }

    @Test
    void sidesOfEqualSizeAreLedByTheLowestCoordinator() {
        assertThat(policy.getNewMembership(List.of(List.of(sorted.get(3), sorted.get(2)), List.of(sorted.get(1),
                sorted.get(0))))).containsExactly(sorted.get(1), sorted.get(0), sorted.get(3), sorted.get(2));
    }

    @Test
    void afterAStallOfThisJvmItsSideGoesAfterAnotherOfEqualSize() {
        // A replica resumed from a pause still counts a member of the majority on its side: the sides look equal.
        Address resumed = sorted.get(0);
        Collection<Collection<Address>> sides = List.of(List.of(resumed, sorted.get(2)),
                List.of(sorted.get(1), sorted.get(2)));

        assertThat(new LargestSideLeads(() -> true, resumed::equals).getNewMembership(sides))
                .containsExactly(sorted.get(1), sorted.get(2), resumed);
        assertThat(new LargestSideLeads(() -> false, resumed::equals).getNewMembership(sides))
                .as("without a stall, JGroups' order").containsExactly(resumed, sorted.get(2), sorted.get(1));
    }

    @Test
    void afterAStallOfThisJvmItsLargerSideStillLeads() {
        Address local = sorted.get(3);

        assertThat(new LargestSideLeads(() -> true, local::equals).getNewMembership(List.of(List.of(sorted.get(0)),
                List.of(local, sorted.get(1))))).containsExactly(local, sorted.get(1), sorted.get(0));
    }

    @Test
    void aMemberOnTwoSidesIsListedOnce() {
        List<Address> smaller = List.of(sorted.get(3), sorted.get(0));
        List<Address> larger = List.of(sorted.get(1), sorted.get(2), sorted.get(0));

        assertThat(policy.getNewMembership(List.of(smaller, larger, List.of())))
                .containsExactly(sorted.get(1), sorted.get(2), sorted.get(0), sorted.get(3));
    }

    @Test
    void aJoinerGoesLastAndLeaversGo() {
        assertThat(policy.getNewMembership(List.of(sorted.get(3), sorted.get(1)), List.of(sorted.get(0)),
                List.of(sorted.get(1)), List.of())).containsExactly(sorted.get(3), sorted.get(0));
    }
}
