package io.sluice.replication;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import org.jgroups.Address;
import org.jgroups.Membership;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.MembershipChangePolicy;

/**
 * Who leads after a merge: the coordinator of the largest side, so that a member back from a network cut joins the
 * majority behind the coordinator it went on with. JGroups' own policy picks the lowest address among the sides'
 * coordinators, so half the time the member that was away became the oldest again, and Sluice's coordinator replicas,
 * whose oldest acts, failed over a second time. Sides of equal size keep JGroups' order. That is still the case of a
 * member resumed from a long pause: its record of the others' views, taken before the pause, can put a member of the
 * majority on its side too. Joins and leaves are JGroups' own: the newcomer goes last.
 */
public final class LargestSideLeads implements MembershipChangePolicy {

    private final MembershipChangePolicy joinsAndLeaves = new GMS.DefaultMembershipPolicy();

    @Override
    public List<Address> getNewMembership(Collection<Address> current, Collection<Address> joiners,
            Collection<Address> leavers, Collection<Address> suspects) {
        return joinsAndLeaves.getNewMembership(current, joiners, leavers, suspects);
    }

    @Override
    public List<Address> getNewMembership(Collection<Collection<Address>> sides) {
        Membership merged = new Membership();
        sides.stream().filter(side -> !side.isEmpty())
                .min(Comparator.<Collection<Address>> comparingInt(side -> -side.size())
                        .thenComparing(side -> side.iterator().next()))
                .ifPresent(merged::add);
        sides.forEach(merged::add);
        return merged.getMembers();
    }
}
