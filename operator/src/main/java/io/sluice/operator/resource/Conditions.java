package io.sluice.operator.resource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/**
 * Kubernetes-style status conditions: one per type, whose {@code lastTransitionTime} moves only when the status
 * flips, so a reconcile that finds nothing new rewrites nothing.
 */
public final class Conditions {

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";

    private Conditions() {
    }

    /** {@code existing} with the condition of {@code type} set to the given state. */
    static List<Condition> with(List<Condition> existing, String type, boolean status, String reason,
            String message, long generation) {
        List<Condition> conditions = new ArrayList<>(existing == null ? List.of() : existing);
        String value = status ? "True" : "False";
        Optional<Condition> previous = find(conditions, type);
        String since = previous.filter(c -> value.equals(c.getStatus())).map(Condition::getLastTransitionTime)
                .orElse(Instant.now().toString());
        Condition next = new ConditionBuilder().withType(type).withStatus(value).withReason(reason)
                .withMessage(message).withObservedGeneration(generation).withLastTransitionTime(since).build();
        previous.ifPresentOrElse(p -> conditions.set(conditions.indexOf(p), next), () -> conditions.add(next));
        return conditions;
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> Objects.equals(type, c.getType())).findFirst();
    }
}
