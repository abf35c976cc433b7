package io.sluice.coordinator.store;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a replica takes the state from, and whether it may act on it, decided from what the replicas in its view
 * hold. Once running somewhere, the state is taken from there (the joining replica's files are emptied first: they
 * can only be older). When nobody runs it, as after every replica stopped, it is started from the newest files of a
 * view holding a majority of the replicas: every write was made in such a view and recorded by all of its replicas,
 * and any two majorities share a replica, so the newest files of a majority hold every acknowledged write. Without a
 * majority, or when a replica of the view knows of newer state than any of them holds (it emptied its files to take
 * it, and the state did not come over), nobody can tell, and the replicas wait rather than serve older state.
 */
final class StateSource {

    enum Step {
        /** Start the state from this replica's files. */
        FORM,
        /** Empty this replica's files and take the state from the replicas running it. */
        JOIN,
        /** Not yet: {@link Plan#reason()} says why. */
        WAIT
    }

    /**
     * @param from for {@link Step#FORM}, the least epoch the new lineage may take, as a version; for
     *        {@link Step#JOIN}, the version of the running state
     */
    record Plan(Step step, StateVersion from, String reason) {
    }

    /** What a replica has told the others: its record, and whether it runs the state. */
    record Holding(StateRecord record, boolean running) {

        StateVersion held() {
            return record.held();
        }
    }

    private StateSource() {
    }

    /** What {@code self}, not running the state, does next. */
    static Plan plan(String self, List<String> view, Map<String, Holding> holdings, int replicas) {
        StateVersion own = holdings.get(self).held();
        List<String> running = view.stream().filter(m -> holdings.containsKey(m) && holdings.get(m).running())
                .toList();
        if (!running.isEmpty()) {
            StateVersion theirs = newest(running, holdings, Holding::held);
            if (own.newerThan(theirs)) {
                return wait("%s run%s state %s, older than this replica's %s: not taking it", String.join(", ",
                        running), running.size() == 1 ? "s" : "", theirs, own);
            }
            return new Plan(Step.JOIN, theirs, "taking the state from " + String.join(", ", running));
        }
        if (view.size() < majority(replicas)) {
            return wait("waiting for a majority of the %d replicas to tell whose state is newest; in view: %s",
                    replicas, view);
        }
        List<String> silent = view.stream().filter(m -> !holdings.containsKey(m)).toList();
        if (!silent.isEmpty()) {
            return wait("waiting for %s to tell the version of its state", silent);
        }
        StateVersion newest = newest(view, holdings, Holding::held);
        StateVersion known = newest(view, holdings, h -> h.record().known());
        if (known.newerThan(newest)) {
            return wait("the newest state (%s) is on a replica not in view %s, whose files hold %s at most: waiting"
                    + " for it rather than start from older state", known, view, newest);
        }
        String source = view.stream().filter(m -> holdings.get(m).held().equals(newest)).findFirst().orElseThrow();
        if (source.equals(self)) {
            StateVersion next = new StateVersion(known.epoch() + 1, 0);
            return new Plan(Step.FORM, next, "this replica holds the newest state (" + newest + ") of " + view);
        }
        return wait("%s holds the newest state (%s, this replica %s); waiting for it to start the state", source,
                newest, own);
    }

    /**
     * Why {@code self}, running the state, must not act on it yet: a replica in its view that does not run the state
     * holds newer files (only one that went on after being cut off from this one can), or fewer than a majority of
     * the replicas hold the state, so a write acknowledged now could be lost with this replica.
     */
    static Optional<String> whyNotAct(String self, List<String> view, Map<String, Holding> holdings, int replicas) {
        StateVersion own = holdings.get(self).held();
        Optional<String> newer = view.stream()
                .filter(m -> holdings.containsKey(m) && !holdings.get(m).running()
                        && holdings.get(m).held().newerThan(own))
                .findFirst();
        if (newer.isPresent()) {
            String m = newer.get();
            return Optional.of(m + " holds newer state (" + holdings.get(m).held() + ") than this replica's (" + own
                    + "): not acting on older state");
        }
        List<String> running = view.stream().filter(m -> holdings.containsKey(m) && holdings.get(m).running())
                .toList();
        if (running.size() < majority(replicas)) {
            return Optional.of("waiting for a majority of the " + replicas + " replicas to hold the state; held by "
                    + running);
        }
        return Optional.empty();
    }

    static int majority(int replicas) {
        return replicas / 2 + 1;
    }

    private static StateVersion newest(List<String> members, Map<String, Holding> holdings,
            Function<Holding, StateVersion> version) {
        return members.stream().map(m -> version.apply(holdings.get(m))).max(Comparator.naturalOrder())
                .orElse(StateVersion.NONE);
    }

    private static Plan wait(String reason, Object... args) {
        return new Plan(Step.WAIT, StateVersion.NONE, String.format(reason, args));
    }
}
