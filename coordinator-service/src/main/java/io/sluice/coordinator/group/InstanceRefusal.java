package io.sluice.coordinator.group;

/** Why a request about an HTTP consumer instance cannot be served: the kind of refusal and a message for the user. */
public final class InstanceRefusal extends RuntimeException {

    /** The kinds of refusal, each with the HTTP status the bridge answers it with. */
    public enum Reason {
        NOT_FOUND(404),
        CONFLICT(409),
        INVALID(422),
        TOO_MANY(429),
        UNAVAILABLE(503);

        public final int status;

        Reason(int status) {
            this.status = status;
        }
    }

    private final Reason reason;

    InstanceRefusal(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
