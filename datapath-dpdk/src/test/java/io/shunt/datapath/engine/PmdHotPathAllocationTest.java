package io.shunt.datapath.engine;

import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.region.RegionOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PMD's packet path (receive, parse, cache hit, edit, output, credit, free) allocates
 * nothing, also on a port that carries a direct-link gate (waiting for the ack: bounded
 * polling plus the after-flush hook).
 */
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

    @Test
    void pollRoundsThroughADirectLinkGateAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting unavailable");
        try (PmdRoundFixture f = new PmdRoundFixture();
             LinkRegion link = LinkRegion.create(RegionOptions.in(f.dir), "link", 1, 1, 2, 1, 256, f.pool)) {
            LinkTxGate gate = LinkTxGate.attach(link, 0, (DpdkrPort) f.engine.port(1), (DpdkrPort) f.engine.port(2),
                    f.pool);
            Runnable loop = () -> {
                for (int round = 0; round < 5_000; round++) {
                    int got = f.switchedRound();
                    if (got != PmdRoundFixture.BURST) {
                        throw new AssertionError("round " + round + ": got " + got);
                    }
                }
            };
            loop.run();
            loop.run();
            long before = threads.getCurrentThreadAllocatedBytes();
            loop.run();
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 1024, "5000 rounds through the gate allocated " + allocated + " bytes");
            assertEquals(LinkPhase.WAITING_FOR_ACK, gate.phase());
            assertEquals(3 * 5_000L * PmdRoundFixture.BURST, f.credited.get());
            gate.detach();
        }
    }
}
