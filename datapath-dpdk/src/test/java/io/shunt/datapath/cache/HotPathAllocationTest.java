package io.shunt.datapath.cache;

import static io.shunt.datapath.testing.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import io.shunt.datapath.action.EditStatus;
import io.shunt.datapath.action.Frame;
import io.shunt.datapath.action.Ipv4Edits;
import io.shunt.datapath.action.TransportEdits;
import io.shunt.datapath.action.VlanEdits;
import io.shunt.datapath.flow.EtherType;
import io.shunt.datapath.flow.FlowField;
import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.FlowMask;
import io.shunt.datapath.flow.IpProto;
import io.shunt.datapath.flow.PacketParser;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The packet path — parse, cache lookup (EMC and megaflow hits), edits — allocates
 * nothing, measured with the JVM's per-thread allocation counter.
 */
class HotPathAllocationTest {
    @Test
    void parseLookupAndEditAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeAllocationCounting(threads);
        byte[] frame = ethernet(MAC_B, MAC_A, EtherType.IPV4, ipv4Packet(ipv4(10, 0, 0, 1), ipv4(10, 0, 0, 2),
                IpProto.UDP, 0, 64, 0, 0, udp(1000, 53, new byte[18])));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(2048);
            int headroom = 128;
            FlowKey key = new FlowKey();
            Frame view = new Frame();
            FlowCaches<String> caches = new FlowCaches<>(CacheConfig.defaults().withEmcInsertInvProb(1 << 20),
                    new FlowGeneration());
            FlowMask mask = FlowMask.builder().exact(FlowField.IN_PORT, FlowField.DL_TYPE, FlowField.NW_DST).build();
            long g = caches.beginBurst();
            MemorySegment.copy(MemorySegment.ofArray(frame), 0, buffer, headroom, frame.length);
            PacketParser.parse(buffer, headroom, frame.length, 1, key);
            assertTrue(caches.insert(key, mask, "out:2", g));

            long[] work = new long[1];
            MemorySegment original = MemorySegment.ofArray(frame);
            Runnable loop = () -> {
                for (int i = 0; i < 100_000; i++) {
                    MemorySegment.copy(original, 0, buffer, headroom, frame.length);
                    PacketParser.parse(buffer, headroom, frame.length, 1, key);
                    String actions = caches.lookup(key);
                    if (actions == null) {
                        throw new AssertionError("megaflow miss");
                    }
                    view.wrap(buffer, 0, buffer.byteSize(), headroom, frame.length);
                    int s = Ipv4Edits.setSource(view, i) | TransportEdits.setSourcePort(view, i)
                            | VlanEdits.push(view, EtherType.VLAN_8021Q, i & 0xfff) | Ipv4Edits.decrementTtl(view);
                    if (s != EditStatus.OK) {
                        throw new AssertionError("edit failed");
                    }
                    work[0] += view.offset();
                }
            };
            loop.run(); // warm up: class loading and JIT compilation happen here
            loop.run();
            long before = threads.getCurrentThreadAllocatedBytes();
            loop.run();
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // zero in practice; 1 KiB leaves room for a stray JIT-time allocation, while a single object per
            // packet would already be 1.6 MB here
            assertTrue(allocated < 1024,
                    "100000 packets allocated " + allocated + " bytes (" + (allocated / 100_000.0) + " per packet)");
            assertTrue(work[0] > 0);
            assertEquals(0, caches.stats().misses());
        }
    }

    private static void assumeAllocationCounting(com.sun.management.ThreadMXBean threads) {
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported()
                && threads.isThreadAllocatedMemoryEnabled(), "per-thread allocation counting is available");
    }
}
