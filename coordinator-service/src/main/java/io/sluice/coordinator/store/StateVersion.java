package io.sluice.coordinator.store;

import java.util.Comparator;

/**
 * How new the state in a replica's files is: the {@code epoch} of the state's lineage (a new one each time the state
 * is started again from some replica's files after every replica had stopped) and, within it, the id of the last
 * view holding a majority of the replicas that this replica went through while holding the state. Only such a view
 * can write, and every replica in it records the view before the state moves on without the replicas that left, so
 * a replica that stopped earlier has an older version than one that went on. {@link #NONE}: no state (a new replica,
 * or one emptied to take the state from the others).
 */
public record StateVersion(long epoch, long view) implements Comparable<StateVersion> {

    public static final StateVersion NONE = new StateVersion(0, 0);

    private static final Comparator<StateVersion> ORDER = Comparator.comparingLong(StateVersion::epoch)
            .thenComparingLong(StateVersion::view);

    @Override
    public int compareTo(StateVersion other) {
        return ORDER.compare(this, other);
    }

    public boolean newerThan(StateVersion other) {
        return compareTo(other) > 0;
    }

    /** The same lineage, at a later view. */
    StateVersion at(long laterView) {
        return new StateVersion(epoch, laterView);
    }

    @Override
    public String toString() {
        return this.equals(NONE) ? "none" : epoch + "/" + view;
    }

    /** {@code epoch view}. */
    String encode() {
        return epoch + " " + view;
    }

    static StateVersion decode(String epoch, String view) {
        return new StateVersion(Long.parseLong(epoch), Long.parseLong(view));
    }

    static StateVersion max(StateVersion a, StateVersion b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
