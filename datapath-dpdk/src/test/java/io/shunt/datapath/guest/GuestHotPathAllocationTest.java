package io.shunt.datapath.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionNames;
import io.shunt.datapath.region.ShmDirectory;
import io.shunt.datapath.ring.SpscRing;

/**
 * A VNF's per-packet path through the shim (alloc, write, tx burst, rx burst, read, free,
 * with heartbeats and the periodic region check) allocates nothing, measured with the JVM's
 * per-thread allocation counter.
 */
class GuestHotPathAllocationTest {
    @Test
    void burstsThroughTheShimAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting unavailable");
        try (ShmDirectory dir = ShmDirectory.create();
             PacketPool pool = PacketPool.create(dir.options(), "pool", 1024, 1);
             PortRegion port = PortRegion.create(dir.options(), PortRegionNames.regionName("dpdkr1"), 1, 256, pool, 1);
             GuestPort guest = GuestPort.attach(dir.path(), "dpdkr1",
                     GuestOptions.defaults().withRegionCheckInterval(Duration.ofDays(1)))) {
            SpscRing switchTx = port.txRing(pool);
            SpscRing switchRx = port.rxRing(pool);
            int[] bufs = new int[32];
            int[] moved = new int[32];
            PacketBuffer view = guest.newBufferView();
            long[] sum = new long[1];
            Runnable loop = () -> {
                for (int round = 0; round < 5_000; round++) {
                    int n = guest.allocBurst(bufs, 32);
                    for (int i = 0; i < n; i++) {
                        view.wrapNew(bufs[i]).length(64).putLong(0, round);
                    }
                    int sent = guest.txBurst(bufs, n);
                    int m = switchTx.dequeueBurst(moved, 0, 32);
                    switchRx.enqueueBurst(moved, 0, m);
                    int got = guest.rxBurst(bufs, 32);
                    for (int i = 0; i < got; i++) {
                        sum[0] += view.wrap(bufs[i]).getLong(0);
                    }
                    guest.freeBurst(bufs, got);
                    if (sent != n || got != n) {
                        throw new AssertionError("round " + round + ": sent " + sent + " got " + got + " of " + n);
                    }
                }
            };
            loop.run();     // warm up: class loading and JIT compilation happen here
            loop.run();
            long before = threads.getCurrentThreadAllocatedBytes();
            loop.run();
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // 160,000 packets: one object per burst would already be 80 KB.
            assertTrue(allocated < 1024, "5000 bursts allocated " + allocated + " bytes");
            assertTrue(sum[0] > 0);
            assertEquals(0, guest.reattachments());
        }
    }
}
