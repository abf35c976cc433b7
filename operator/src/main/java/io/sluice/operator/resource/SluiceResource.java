package io.sluice.operator.resource;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * What Sluice's custom resources share: a spec that only the user writes, a status that only the operator writes.
 * An instance the operator builds has no spec at all ({@code initSpec} is left alone), so that what it writes (a
 * finalizer, by server-side apply of a new instance; a status) can never carry defaults over the user's spec.
 */
public abstract class SluiceResource<S, T extends ObservedStatus> extends CustomResource<S, T> implements Namespaced {

    /** The spec as the user wrote it; the defaults when the resource has none. */
    public S spec() {
        return getSpec() != null ? getSpec() : defaultSpec();
    }

    /** The status to report into: the current one, or a new one, set on this resource. */
    public T reportedStatus() {
        if (getStatus() == null) {
            setStatus(newStatus());
        }
        return getStatus();
    }

    /** The generation of the spec; 0 before the API server has given one. */
    public long generation() {
        return getMetadata().getGeneration() == null ? 0 : getMetadata().getGeneration();
    }

    protected abstract S defaultSpec();

    protected abstract T newStatus();
}
