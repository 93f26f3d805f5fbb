package io.shunt.datapath.engine;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PMD's packet path (receive, parse, cache hit, edit, output, credit, free) allocates nothing. */
class PmdHotPathAllocationTest {
    @Test
    void pollRoundsOnCacheHitsAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting unavailable");
        try (PmdRoundFixture f = new PmdRoundFixture()) {
            Runnable loop = () -> {
                for (int round = 0; round < 5_000; round++) {
                    int got = f.switchedRound();
                    if (got != PmdRoundFixture.BURST) {
                        throw new AssertionError("round " + round + ": got " + got);
                    }
                }
            };
            loop.run();     // warm up: the upcall, the first output batch, class loading and JIT happen here
            loop.run();
            long before = threads.getCurrentThreadAllocatedBytes();
            loop.run();
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // 160,000 packets: one object per burst would already be 80 KB.
            assertTrue(allocated < 1024, "5000 rounds allocated " + allocated + " bytes");
            assertEquals(3 * 5_000L * PmdRoundFixture.BURST, f.credited.get(), "every packet credited once");
        }
    }
}
