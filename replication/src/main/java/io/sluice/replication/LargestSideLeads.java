package io.sluice.replication;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.jgroups.Address;
import org.jgroups.Membership;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.MembershipChangePolicy;

/**
 * Who leads after a merge: the coordinator of the largest side, so that a member back from a network cut joins the
 * majority behind the coordinator it went on with. JGroups' own policy picks the lowest address among the sides'
 * coordinators, so half the time the member that was away became the oldest again, and Sluice's coordinator replicas,
 * whose oldest acts, failed over a second time. Sides of equal size go in JGroups' order, except that a side of this
 * JVM's own members goes after the others when this JVM stalled within the last minute: a member resumed from a long
 * pause still has its record of the others' views from before it, which can put a member of the majority on its side
 * too, so that the sides look equal. Joins and leaves are JGroups' own: the newcomer goes last.
 */
public final class LargestSideLeads implements MembershipChangePolicy {

    /** Longer than a merge takes to follow a resumed member's first gossip (MERGE3 looks every 8 s). */
    static final Duration STALL_REMEMBERED = Duration.ofMinutes(1);
    /** The addresses of this JVM's members ({@link NodeAddress.Channel}). */
    private static final Set<Address> LOCAL = ConcurrentHashMap.newKeySet();

    private final MembershipChangePolicy joinsAndLeaves = new GMS.DefaultMembershipPolicy();
    private final BooleanSupplier stalledLately;
    private final Predicate<Address> local;

    /** As JGroups makes it, from the class name in the stack's configuration. */
    public LargestSideLeads() {
        this(() -> OwnStalls.endedWithin(STALL_REMEMBERED), LOCAL::contains);
        OwnStalls.watch();
    }

    LargestSideLeads(BooleanSupplier stalledLately, Predicate<Address> local) {
        this.stalledLately = stalledLately;
        this.local = local;
    }

    /** Records the address of a member of this JVM. */
    static void local(Address address) {
        LOCAL.add(address);
    }

    @Override
    public List<Address> getNewMembership(Collection<Address> current, Collection<Address> joiners,
            Collection<Address> leavers, Collection<Address> suspects) {
        return joinsAndLeaves.getNewMembership(current, joiners, leavers, suspects);
    }

    @Override
    public List<Address> getNewMembership(Collection<Collection<Address>> sides) {
        boolean away = stalledLately.getAsBoolean();
        Membership merged = new Membership();
        sides.stream().filter(side -> !side.isEmpty())
                .min(Comparator.<Collection<Address>> comparingInt(side -> -side.size())
                        .thenComparing(side -> away && side.stream().anyMatch(local))
                        .thenComparing(side -> side.iterator().next()))
                .ifPresent(merged::add);
        sides.forEach(merged::add);
        return merged.getMembers();
    }
}
