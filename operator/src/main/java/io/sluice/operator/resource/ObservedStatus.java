package io.sluice.operator.resource;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Condition;

/** What every Sluice resource's status holds: its conditions, and the generation of the spec they describe. */
public abstract class ObservedStatus {

    private List<Condition> conditions = new ArrayList<>();
    private Long observedGeneration;

    /** Sets the condition of {@code type}; its transition time moves only when its status flips. */
    public void condition(String type, boolean status, Enum<?> reason, String message, long generation) {
        conditions = Conditions.with(conditions, type, status, reason.name(), message, generation);
    }

    /** Whether the condition of {@code type} is there and true. */
    public boolean holds(String type) {
        return Conditions.find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }
}
