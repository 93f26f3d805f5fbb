package io.shunt.datapath.bench;

import static io.shunt.datapath.testing.Frames.*;

import io.shunt.datapath.cache.CacheConfig;
import io.shunt.datapath.cache.FlowCaches;
import io.shunt.datapath.cache.FlowGeneration;
import io.shunt.datapath.cache.MegaflowCache;
import io.shunt.datapath.flow.EtherType;
import io.shunt.datapath.flow.FlowField;
import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.FlowMask;
import io.shunt.datapath.flow.IpProto;
import io.shunt.datapath.flow.PacketParser;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-packet costs of the forwarding engine's packet-processing core, in ns per
 * packet over bursts of 32 (as a PMD thread processes them). bench/datapath/flow.sh
 * runs it and converts to TSC cycles (2.45 GHz on the reference machine) for the
 * comparison with OVS-DPDK's cycles/packet.
 *
 * <p>{@code touchFrame} is the in-run anchor: reading the 64 bytes of each frame, the
 * least any packet processing must do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class FlowBench {
    static final int BURST = 32;
    static final int FRAME = 64;

    private Arena arena;
    private MemorySegment frames;
    private final FlowKey key = new FlowKey();
    private FlowCaches<String> caches;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        // one 64-byte UDP/IPv4 frame per burst slot (Ethernet 14 + IPv4 20 + UDP 8 + 18 data + 4 FCS room),
        // the same flow in every slot: the single-flow case of OVS's ~105 cycles/packet
        frames = arena.allocate((long) BURST * 2048, 64);
        byte[] frame = java.util.Arrays.copyOf(ethernet(MAC_B, MAC_A, EtherType.IPV4, ipv4Packet(ipv4(10, 0, 0, 1),
                ipv4(10, 0, 0, 2), IpProto.UDP, 0, 64, 0, 0, udp(1000, 53, new byte[18]))), FRAME);
        for (int i = 0; i < BURST; i++) {
            MemorySegment.copy(MemorySegment.ofArray(frame), 0, frames, i * 2048L + 128, FRAME);
        }
        caches = new FlowCaches<>(CacheConfig.defaults().withEmcInsertInvProb(1), new FlowGeneration());
        long g = caches.beginBurst();
        PacketParser.parse(frames, 128, FRAME, 1, key);
        caches.insert(key, FlowMask.builder().exact(FlowField.IN_PORT, FlowField.DL_TYPE, FlowField.NW_DST).build(),
                "output:2", g);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long touchFrame() {
        long x = 0;
        for (int i = 0; i < BURST; i++) {
            long base = i * 2048L + 128;
            for (int w = 0; w < FRAME; w += 8) {
                x ^= frames.get(ValueLayout.JAVA_LONG_UNALIGNED, base + w);
            }
        }
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void parseUdp64(Blackhole bh) {
        for (int i = 0; i < BURST; i++) {
            PacketParser.parse(frames, i * 2048L + 128, FRAME, 1, key);
            bh.consume(key.word(10));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void emcHit(Blackhole bh) {
        caches.beginBurst();
        for (int i = 0; i < BURST; i++) {
            bh.consume(caches.lookup(key));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void parseAndEmcHit(Blackhole bh) {
        caches.beginBurst();
        for (int i = 0; i < BURST; i++) {
            PacketParser.parse(frames, i * 2048L + 128, FRAME, 1, key);
            bh.consume(caches.lookup(key));
        }
    }

    /**
     * Megaflow hits with N subtables (N distinct masks, as N OpenFlow rules of different
     * shapes produce). The packets cycle over flows of every subtable, so on average a
     * lookup probes about half of them, as in OVS's dpcls before ranking settles on one.
     */
    @State(Scope.Thread)
    public static class Megaflows {
        @Param({"1", "10", "100"})
        public int subtables;

        MegaflowCache<String> cache;
        FlowKey[] keys;

        @Setup(Level.Trial)
        public void setUp() {
            // ranking never reorders within the run: every subtable gets the same share of hits
            cache = new MegaflowCache<>(65536, Integer.MAX_VALUE);
            keys = new FlowKey[BURST];
            FlowKey k = new FlowKey();
            for (int s = 0; s < subtables; s++) {
                // mask s: in_port, dl_type, and a /(1+s%32) prefix of nw_dst plus tp_dst bit s/32: distinct masks
                int prefix = 1 + s % 32;
                FlowMask mask = FlowMask.builder().exact(FlowField.IN_PORT, FlowField.DL_TYPE)
                        .bits(FlowField.NW_DST, (0xffffffffL << (32 - prefix)) & 0xffffffffL)
                        .bits(FlowField.TP_DST, (long) (s / 32 + 1))
                        .build();
                k.clear();
                k.set(FlowField.IN_PORT, 1 + s).set(FlowField.DL_TYPE, 0x0800).set(FlowField.NW_DST, 0x0a000002L)
                        .set(FlowField.TP_DST, 0xffff);
                cache.insert(k, mask, "subtable-" + s, 1);
            }
            for (int i = 0; i < BURST; i++) {
                int s = (int) ((long) i * subtables / BURST) % subtables;
                keys[i] = new FlowKey();
                keys[i].set(FlowField.IN_PORT, 1 + s).set(FlowField.DL_TYPE, 0x0800).set(FlowField.NW_DST, 0x0a000002L)
                        .set(FlowField.TP_DST, 0xffff).set(FlowField.NW_SRC, 0x0a000001L + i);
            }
            for (FlowKey key : keys) {
                if (cache.lookup(key, 1) == null) {
                    throw new IllegalStateException("benchmark key misses: " + key);
                }
            }
            if (cache.subtableCount() != subtables) {
                throw new IllegalStateException(cache.subtableCount() + " subtables, wanted " + subtables);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void megaflowHit(Megaflows m, Blackhole bh) {
        FlowKey[] keys = m.keys;
        for (int i = 0; i < BURST; i++) {
            bh.consume(m.cache.lookup(keys[i], 1));
        }
    }
}
