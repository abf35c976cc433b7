package io.sluice.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;

import org.infinispan.container.entries.PrimitiveEntrySizeCalculator;
import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

/**
 * The estimate the store's memory-bounded caches size their entries by (Sluice's stand-in for Infinispan's class):
 * Infinispan's figures, without its cost.
 */
class EntrySizeTest {

    private final PrimitiveEntrySizeCalculator sizes = new PrimitiveEntrySizeCalculator();

    @Test
    void estimatesAsInfinispanDoes() {
        // Figures of Infinispan 16.0.9's own class on this JVM (compressed pointers).
        assertThat(sizes.calculateSize(new byte[0], new byte[0])).isEqualTo(32);
        assertThat(sizes.calculateSize(new byte[1], new byte[9])).isEqualTo(24 + 32);
        assertThat(sizes.calculateSize(new byte[1000], new byte[1000])).isEqualTo(2032);
        assertThat(sizes.calculateSize(new long[7], new long[7])).isEqualTo(144);
        assertThat(sizes.calculateSize("x".repeat(100), 5L)).isEqualTo(240);
        assertThat(sizes.calculateSize(new Object[] { new byte[9], 7 }, 1)).isEqualTo(56);
        assertThat(sizes.calculateSize(1_000_000L, 'é')).isEqualTo(24 + 16);
        assertThatThrownBy(() -> sizes.calculateSize(new byte[1], new Object()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Infinispan's allocated about 5 KB per entry here, more under its deep call stacks: an exception and Unsafe's fields. */
    @Test
    void sizingAnEntryAllocatesNothing() {
        byte[] key = new byte[40];
        byte[] value = new byte[4096];
        long total = 0;
        for (int i = 0; i < 10_000; i++) {
            total += sizes.calculateSize(key, value);
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            total += sizes.calculateSize(key, value);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(total).isEqualTo(20_000L * (56 + 4112));
        assertThat(allocated).isLessThan(100_000);
    }
}
