package io.sluice.broker.store;

import static io.sluice.broker.store.MemoryBudget.FLOOR;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.sluice.broker.store.MemoryBudget.CacheUse;

class MemoryBudgetTest {

    private static final long MIB = 1 << 20;
    private static final long BUDGET = 60 * MIB;
    private static final long EVEN = BUDGET / 5;

    private static CacheUse idle(long bound) {
        return new CacheUse(bound, 0, 0);
    }

    @Test
    void anIdleStoreKeepsAnEvenSplit() {
        long[] bounds = MemoryBudget.allocate(BUDGET, List.of(idle(EVEN), idle(EVEN), idle(EVEN), idle(EVEN), idle(EVEN)));

        assertThat(bounds).containsOnly(EVEN);
    }

    @Test
    void idleCachesGiveTheirMemoryToTheBusyOne() {
        List<CacheUse> uses = List.of(idle(EVEN), idle(EVEN), new CacheUse(EVEN, EVEN, 30 * MIB), idle(EVEN),
                new CacheUse(EVEN, MIB / 2, MIB / 2));

        long[] bounds = MemoryBudget.allocate(BUDGET, uses);

        assertThat(bounds[0]).isEqualTo(FLOOR);
        assertThat(bounds[1]).isEqualTo(FLOOR);
        assertThat(bounds[3]).isEqualTo(FLOOR);
        assertThat(bounds[4]).isEqualTo(MIB / 2 + FLOOR);
        assertThat(bounds[2]).isEqualTo(BUDGET - 3 * FLOOR - bounds[4]);
    }

    @Test
    void fullCachesShareWhatIsLeftByDemand() {
        List<CacheUse> uses = List.of(new CacheUse(EVEN, EVEN, 30 * MIB), new CacheUse(EVEN, EVEN, 10 * MIB),
                new CacheUse(EVEN, EVEN, 0), idle(EVEN), idle(EVEN));

        long[] bounds = MemoryBudget.allocate(BUDGET, uses);

        long spare = BUDGET - 5 * FLOOR;
        assertThat(bounds).containsExactly(FLOOR + spare * 3 / 4, FLOOR + spare / 4, FLOOR, FLOOR, FLOOR);
    }

    @Test
    void fullCachesWithoutDemandKeepSharingEvenly() {
        List<CacheUse> uses = List.of(new CacheUse(30 * MIB, 30 * MIB, 0), new CacheUse(26 * MIB, 26 * MIB, 0),
                idle(2 * MIB), idle(FLOOR), idle(FLOOR));

        long[] bounds = MemoryBudget.allocate(BUDGET, uses);

        long spare = BUDGET - 5 * FLOOR;
        assertThat(bounds).containsExactly(FLOOR + spare / 2, FLOOR + spare / 2, FLOOR, FLOOR, FLOOR);
    }

    @Test
    void aCacheThatUsesLessGetsLessNextRound() {
        CacheUse busy = new CacheUse(40 * MIB, 40 * MIB, 20 * MIB);
        List<CacheUse> before = List.of(busy, new CacheUse(8 * MIB, 8 * MIB, 20 * MIB), idle(4 * MIB),
                idle(4 * MIB), idle(4 * MIB));
        long first = MemoryBudget.allocate(BUDGET, before)[0];

        // Its partitions were deleted: it holds a quarter of what it did.
        List<CacheUse> after = List.of(new CacheUse(first, 10 * MIB, 0), new CacheUse(8 * MIB, 8 * MIB, 20 * MIB),
                idle(4 * MIB), idle(4 * MIB), idle(4 * MIB));
        long[] second = MemoryBudget.allocate(BUDGET, after);

        assertThat(second[0]).isLessThan(first).isEqualTo(10 * MIB + 10 * MIB / 4);
        assertThat(second[1]).isEqualTo(BUDGET - second[0] - 3 * FLOOR);
    }

    @Test
    void boundsNeverAddUpToMoreThanTheBudgetAndNeverGoBelowTheFloor() {
        Random random = new Random(16);
        for (int round = 0; round < 10_000; round++) {
            long budget = 5 * FLOOR + (long) (random.nextDouble() * 10_000 * MIB);
            long[] current = split(random, budget);
            List<CacheUse> uses = new ArrayList<>();
            for (long bound : current) {
                long used = random.nextInt(3) == 0 ? bound : (long) (random.nextDouble() * bound);
                long demand = random.nextInt(3) == 0 ? 0 : (long) (random.nextDouble() * budget);
                uses.add(new CacheUse(bound, used, demand));
            }

            long[] bounds = MemoryBudget.allocate(budget, uses);

            assertThat(LongStream.of(bounds).sum()).as("round %d", round).isLessThanOrEqualTo(budget);
            assertThat(LongStream.of(bounds).min().orElseThrow()).as("round %d", round).isGreaterThanOrEqualTo(FLOOR);
        }
    }

    /** Five bounds of at least the floor that add up to at most the budget. */
    private static long[] split(Random random, long budget) {
        long[] bounds = new long[5];
        long left = budget - 5 * FLOOR;
        for (int i = 0; i < 5; i++) {
            long extra = (long) (random.nextDouble() * left);
            bounds[i] = FLOOR + extra;
            left -= extra;
        }
        return bounds;
    }

    @Test
    void tooSmallABudgetStillGivesEveryCacheItsFloor() {
        long[] bounds = MemoryBudget.allocate(3 * FLOOR, List.of(idle(FLOOR), idle(FLOOR), idle(FLOOR), idle(FLOOR),
                idle(FLOOR)));

        assertThat(bounds).containsOnly(FLOOR);
    }
}
