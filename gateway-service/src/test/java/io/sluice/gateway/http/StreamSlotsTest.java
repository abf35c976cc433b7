package io.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class StreamSlotsTest {

    @Test
    void noMoreThanMaxTailsAreOpenAndAReleasedSlotIsFreeOnce() {
        StreamSlots slots = new StreamSlots(3, 64L << 20);
        List<StreamSlots.Slot> taken = new ArrayList<>(List.of(slots.take(), slots.take(), slots.take()));

        assertThatThrownBy(slots::take).isInstanceOfSatisfying(HttpError.class, refused -> {
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        });
        assertThat(slots.open()).isEqualTo(3);

        taken.get(0).release();
        taken.get(0).release();
        assertThat(slots.open()).isEqualTo(2);
        taken.add(slots.take());
        assertThatThrownBy(slots::take).isInstanceOf(HttpError.class);
    }

    @Test
    void stepsShareTheBudgetWithinTheirBounds() {
        StreamSlots slots = new StreamSlots(1_000, 8L << 20);
        StreamSlots.Slot first = slots.take();
        assertThat(first.stepBytes()).isEqualTo(StreamSlots.MAX_STEP_BYTES);

        for (int i = 0; i < 15; i++) {
            slots.take();
        }
        assertThat(first.stepBytes()).isEqualTo((8 << 20) / 16);

        for (int i = 0; i < 500; i++) {
            slots.take();
        }
        assertThat(first.stepBytes()).isEqualTo(StreamSlots.MIN_STEP_BYTES);
    }
}
