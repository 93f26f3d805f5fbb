package io.shunt.vswitchd.bridge;

import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.PacketParser;
import io.shunt.ofproto.datapath.FrameParser;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upcall's key conversion against its oracle, ofproto's {@link FrameParser}: whenever
 * {@link UpcallKey#convert} takes a packet, the OpenFlow key it builds from the PMD's
 * datapath key is the one FrameParser builds from the bytes, word for word. Checked on one
 * frame of every shape, on every truncation of each, and on seeded random byte mutations;
 * the common shapes must be taken (else the upcall would still parse twice), the shapes
 * where the parsers differ must not.
 */
class UpcallKeyTest {
    private static final int IN_PORT = 7;
    private static final long HEADROOM = 128;

    private static final Map<String, byte[]> TAKEN = new LinkedHashMap<>();
    private static final Map<String, byte[]> NOT_TAKEN = new LinkedHashMap<>();

    static {
        byte[] v4 = {10, 0, 0, 1, 10, 0, 0, 2};
        byte[] v6 = HexFormat.of().parseHex("20010db800000000000000000000000120010db8000000000000000000000002");
        byte[] ports = HexFormat.of().parseHex("9c400050000000010000000050180200000000000102030405060708");
        TAKEN.put("ipv4 tcp", eth(0x0800, ipv4(6, 0, v4, ports)));
        TAKEN.put("ipv4 udp", eth(0x0800, ipv4(17, 0, v4, ports)));
        TAKEN.put("ipv4 sctp", eth(0x0800, ipv4(132, 0, v4, ports)));
        TAKEN.put("ipv4 icmp", eth(0x0800, ipv4(1, 0, v4, ports)));
        TAKEN.put("ipv4 gre (no ports)", eth(0x0800, ipv4(47, 0, v4, ports)));
        TAKEN.put("ipv4 first fragment", eth(0x0800, ipv4(17, 0x2000, v4, ports)));
        TAKEN.put("ipv4 later fragment", eth(0x0800, ipv4(17, 0x0010, v4, ports)));
        TAKEN.put("ipv4 tcp in a vlan", vlan(0x8100, 0xa123, 0x0800, ipv4(6, 0, v4, ports)));
        TAKEN.put("ipv4 udp in an 802.1ad tag", vlan(0x88a8, 0x0005, 0x0800, ipv4(17, 0, v4, ports)));
        TAKEN.put("ipv6 tcp", eth(0x86dd, ipv6(6, v6, ports)));
        TAKEN.put("ipv6 udp", eth(0x86dd, ipv6(17, v6, ports)));
        TAKEN.put("ipv6 sctp", eth(0x86dd, ipv6(132, v6, ports)));
        TAKEN.put("ipv6 icmpv6 echo", eth(0x86dd, ipv6(58, v6, HexFormat.of().parseHex("8000000000010002"))));
        TAKEN.put("mpls", eth(0x8847, HexFormat.of().parseHex("0004d3250000000000000000")));
        TAKEN.put("experimental ethertype", eth(0x88b5, new byte[50]));
        NOT_TAKEN.put("arp", eth(0x0806, HexFormat.of().parseHex(
                "0001080006040001020000000001" + "0a000001" + "000000000000" + "0a000002")));
        NOT_TAKEN.put("qinq", vlan(0x88a8, 5, 0x8100, vlan0(0x0006, 0x0800, ipv4(6, 0, v4, ports))));
        NOT_TAKEN.put("ipv6 hop-by-hop then udp", eth(0x86dd, ipv6(0, v6,
                concat(HexFormat.of().parseHex("1100000000000000"), ports))));
        NOT_TAKEN.put("ipv6 neighbour solicitation", eth(0x86dd, ipv6(58, v6, HexFormat.of().parseHex(
                "87000000" + "00000000" + "20010db8000000000000000000000002" + "0101020000000001"))));
        NOT_TAKEN.put("802.3 llc", concat(HexFormat.of().parseHex("020000000002020000000001002e"), new byte[46]));
    }

    @Test
    void everyTakenShapeGivesFrameParsersKeyAndTheOthersFallBack() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            for (Map.Entry<String, byte[]> e : TAKEN.entrySet()) {
                assertTrue(check(buffer, e.getValue(), e.getKey()), e.getKey() + " must be converted, not parsed again");
            }
            for (Map.Entry<String, byte[]> e : NOT_TAKEN.entrySet()) {
                assertFalse(check(buffer, e.getValue(), e.getKey()), e.getKey() + " must fall back to FrameParser");
            }
        }
    }

    @Test
    void truncatedAndMutatedFramesNeverGetAKeyFrameParserWouldNotGive() {
        List<byte[]> all = new ArrayList<>(TAKEN.values());
        all.addAll(NOT_TAKEN.values());
        SplittableRandom random = new SplittableRandom(20261125);
        int taken = 0;
        int checked = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            for (byte[] frame : all) {
                for (int len = 0; len <= frame.length; len++) {
                    taken += check(buffer, java.util.Arrays.copyOf(frame, len), "truncated to " + len) ? 1 : 0;
                    checked++;
                }
                for (int i = 0; i < 2_000; i++) {
                    byte[] m = frame.clone();
                    int flips = 1 + random.nextInt(4);
                    for (int f = 0; f < flips; f++) {
                        m[random.nextInt(Math.min(m.length, 80))] = (byte) random.nextInt(256);
                    }
                    taken += check(buffer, m, "mutated " + HexFormat.of().formatHex(m)) ? 1 : 0;
                    checked++;
                }
            }
        }
        assertTrue(taken > checked / 4, "the conversion took " + taken + " of " + checked + " frames");
    }

    @Test
    void theConversionAllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported()
                && threads.isThreadAllocatedMemoryEnabled(), "per-thread allocation counters");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            byte[] frame = TAKEN.get("ipv4 tcp in a vlan");
            MemorySegment.copy(frame, 0, buffer, ValueLayout.JAVA_BYTE, HEADROOM, frame.length);
            FlowKey dp = new FlowKey();
            PacketParser.parse(buffer, HEADROOM, frame.length, IN_PORT, dp);
            io.shunt.ofproto.classifier.FlowKey of = new io.shunt.ofproto.classifier.FlowKey();
            int taken = 0;
            for (int i = 0; i < 20_000; i++) { // warm up: class loading and JIT
                taken += UpcallKey.convert(dp, buffer, HEADROOM, frame.length, IN_PORT, of) ? 1 : 0;
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                taken += UpcallKey.convert(dp, buffer, HEADROOM, frame.length, IN_PORT, of) ? 1 : 0;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(120_000, taken);
            assertTrue(allocated < 1024, "100,000 conversions allocated " + allocated + " bytes");
        }
    }

    /** Returns whether the conversion took the frame; when it did, its key must be FrameParser's. */
    private static boolean check(MemorySegment buffer, byte[] frame, String what) {
        MemorySegment.copy(frame, 0, buffer, ValueLayout.JAVA_BYTE, HEADROOM, frame.length);
        FlowKey dp = new FlowKey();
        PacketParser.parse(buffer, HEADROOM, frame.length, IN_PORT, dp);
        io.shunt.ofproto.classifier.FlowKey converted = new io.shunt.ofproto.classifier.FlowKey();
        if (!UpcallKey.convert(dp, buffer, HEADROOM, frame.length, IN_PORT, converted)) {
            return false;
        }
        io.shunt.ofproto.classifier.FlowKey oracle = FrameParser.parse(frame, frame.length, IN_PORT,
                new io.shunt.ofproto.classifier.FlowKey());
        assertEquals(oracle, converted, what);
        return true;
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static byte[] eth(int type, byte[] payload) {
        return concat(HexFormat.of().parseHex("020000000002020000000001"), ByteBuffer.allocate(2).putShort((short) type)
                .array(), payload);
    }

    private static byte[] vlan(int tpid, int tci, int type, byte[] payload) {
        return eth(tpid, vlan0(tci, type, payload));
    }

    private static byte[] vlan0(int tci, int type, byte[] payload) {
        return concat(ByteBuffer.allocate(4).putShort((short) tci).putShort((short) type).array(), payload);
    }

    private static byte[] ipv4(int proto, int fragField, byte[] addresses, byte[] l4) {
        return concat(ByteBuffer.allocate(12).put((byte) 0x45).put((byte) 0xb9).putShort((short) (20 + l4.length))
                .putShort((short) 1).putShort((short) fragField).put((byte) 64).put((byte) proto).putShort((short) 0)
                .array(), addresses, l4);
    }

    private static byte[] ipv6(int next, byte[] addresses, byte[] l4) {
        return concat(ByteBuffer.allocate(8).putInt(0x6b812345).putShort((short) l4.length).put((byte) next)
                .put((byte) 64).array(), addresses, l4);
    }
}
