package io.sluice.gateway.quota;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

import org.apache.kafka.common.protocol.ApiMessage;

/**
 * {@code throttle_time_ms} of any answer that has one (nearly all have, by the same accessor names): a quota that
 * holds every request, as {@code request_percentage} does, must set it whatever the API.
 */
final class ThrottleTime {

    private record Accessors(MethodHandle get, MethodHandle set) {
    }

    private static final ClassValue<Optional<Accessors>> ACCESSORS = new ClassValue<>() {
        @Override
        protected Optional<Accessors> computeValue(Class<?> type) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                return Optional.of(new Accessors(
                        lookup.findVirtual(type, "throttleTimeMs", MethodType.methodType(int.class)),
                        lookup.findVirtual(type, "setThrottleTimeMs", MethodType.methodType(type, int.class))));
            } catch (ReflectiveOperationException e) {
                return Optional.empty();
            }
        }
    };

    private ThrottleTime() {
    }

    /** The answer asking the client to wait at least {@code ms}; unchanged when it cannot say so. */
    static ApiMessage atLeast(ApiMessage answer, long ms) {
        Optional<Accessors> accessors = ACCESSORS.get(answer.getClass());
        if (ms <= 0 || accessors.isEmpty()) {
            return answer;
        }
        try {
            int current = (int) accessors.get().get().invoke(answer);
            if (current < ms) {
                accessors.get().set().invoke(answer, (int) Math.min(Integer.MAX_VALUE, ms));
            }
            return answer;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot set the throttle time of " + answer.getClass(), e);
        }
    }
}
