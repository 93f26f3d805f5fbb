package io.shunt.vswitchd.it;

import io.shunt.datapath.buffer.BufferLayout;
import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionLayout;
import io.shunt.datapath.port.PortRegionNames;
import io.shunt.datapath.ring.BackOff;
import io.shunt.datapath.ring.SpscRing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A VNF process for the switch tests, built on the guest side of the shared-memory library
 * (port region + pool, attached by port name, as the guest shim does): each run is one
 * program, started with ProcessBuilder, printing one JSON summary line on exit.
 *
 * <pre>
 * source    DIR PORT COUNT SRC_MAC DST_MAC [PPS]   frames with sequence numbers 0..COUNT-1
 * sink      DIR PORT IDLE_MS DEADLINE_MS           receives until IDLE_MS without a packet
 * forwarder DIR PORT_A PORT_B IDLE_MS DEADLINE_MS  A's rx to B's tx, unchanged
 * garbage   DIR PORT COUNT                         COUNT bad indices and COUNT bad lengths on its tx ring
 * </pre>
 * Frame: dst, src, ethertype 0x88b5 (local experimental), 8-byte sequence number; 64 bytes.
 */
public final class TestVnf {
    static final int FRAME = 64;
    static final int ETHERTYPE = 0x88b5;
    /** Idle time after the expected count, before a sink or forwarder stops. */
    static final long LINGER_MS = 300;

    private TestVnf() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "source" -> source(dir, args[2], Long.parseLong(args[3]), Long.parseLong(args[4], 16),
                    Long.parseLong(args[5], 16), args.length > 6 ? Long.parseLong(args[6]) : 0);
            case "sink" -> sink(dir, args[2], Long.parseLong(args[3]), Long.parseLong(args[4]),
                    args.length > 5 ? Long.parseLong(args[5]) : 0);
            case "forwarder" -> forwarder(dir, args[2], args[3], Long.parseLong(args[4]), Long.parseLong(args[5]),
                    args.length > 6 ? Long.parseLong(args[6]) : 0);
            case "garbage" -> garbage(dir, args[2], Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown program " + args[0]);
        }
    }

    record Port(PortRegion region, PacketPool pool, SpscRing rx, SpscRing tx) {
        static Port attach(Path dir, String name) throws Exception {
            PortRegion region = PortRegion.attach(PortRegionNames.regionFile(dir, name));
            PacketPool pool = PacketPool.attach(dir.resolve(region.poolName()));
            return new Port(region, pool, region.rxRing(pool), region.txRing(pool));
        }
    }

    static void source(Path dir, String portName, long count, long srcMac, long dstMac, long pps) throws Exception {
        Port port = Port.attach(dir, portName);
        PacketBuffer buf = port.pool().newBufferView();
        int[] idx = new int[32];
        BackOff backOff = new BackOff(100, 10, 1_000, 100_000);
        long start = System.nanoTime();
        long seq = 0;
        long poolWaits = 0;
        while (seq < count) {
            if (pps > 0) {
                long due = start + seq * 1_000_000_000L / pps;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            int want = (int) Math.min(idx.length, count - seq);
            if (pps > 0) {
                want = 1;
            }
            int n = port.pool().allocBurst(idx, 0, want);
            if (n == 0) {
                poolWaits++;
                backOff.idle();
                continue;
            }
            for (int i = 0; i < n; i++) {
                buf.wrapNew(idx[i]);
                buf.putShort(0, (int) (dstMac >>> 32)).putInt(2, (int) dstMac);
                buf.putShort(6, (int) (srcMac >>> 32)).putInt(8, (int) srcMac);
                buf.putShort(12, ETHERTYPE);
                buf.putLong(14, seq + i);
                for (int b = 22; b < FRAME; b += 2) {
                    buf.putShort(b, 0);
                }
                buf.length(FRAME);
            }
            int sent = 0;
            while (sent < n) {
                int k = port.tx().enqueueBurst(idx, sent, n - sent);
                sent += k;
                if (k == 0) {
                    backOff.idle();
                } else {
                    backOff.reset();
                }
            }
            seq += n;
        }
        System.out.println("{\"program\":\"source\",\"port\":\"" + portName + "\",\"sent\":" + seq
                + ",\"pool_waits\":" + poolWaits + "}");
    }

    /**
     * Once {@code expect} packets (0: no expectation) have arrived, the idle timer shrinks to
     * {@link #LINGER_MS}: long enough to see a duplicate or a stray, while a long {@code idleMs}
     * lets the sink wait for senders that start late on a loaded machine.
     */
    static void sink(Path dir, String portName, long idleMs, long deadlineMs, long expect) throws Exception {
        Port port = Port.attach(dir, portName);
        PacketBuffer buf = port.pool().newBufferView();
        int[] idx = new int[32];
        BackOff backOff = new BackOff(100, 10, 1_000, 200_000);
        long start = System.nanoTime();
        long last = start;
        long received = 0;
        long bytes = 0;
        long outOfOrder = 0;
        long first = -1;
        long lastSeq = -1;
        Map<Long, Long> bySource = new HashMap<>();
        Map<Long, Long> lastBySource = new HashMap<>();
        while (true) {
            long now = System.nanoTime();
            // The idle timer runs from the first packet on: the peers may still be starting.
            long idle = expect > 0 && received >= expect ? LINGER_MS : idleMs;
            if ((last != start && now - last > idle * 1_000_000) || now - start > deadlineMs * 1_000_000) {
                break;
            }
            int n = port.rx().dequeueBurst(idx, 0, idx.length);
            if (n == 0) {
                backOff.idle();
                continue;
            }
            backOff.reset();
            last = System.nanoTime();
            for (int i = 0; i < n; i++) {
                buf.wrap(idx[i]);
                int len = buf.length();
                bytes += len;
                received++;
                long src = ((long) buf.getShort(6) & 0xffff) << 32 | (buf.getInt(8) & 0xffff_ffffL);
                bySource.merge(src, 1L, Long::sum);
                if (len >= 22 && buf.getShort(12) == ETHERTYPE) {
                    long seq = buf.getLong(14);
                    if (first < 0) {
                        first = seq;
                    }
                    // Order is per sender (source MAC): two senders interleave freely.
                    Long previous = lastBySource.put(src, seq);
                    if (previous != null && seq <= previous) {
                        outOfOrder++;
                    }
                    lastSeq = seq;
                }
            }
            port.pool().freeBurst(idx, 0, n);
        }
        StringBuilder sources = new StringBuilder("{");
        bySource.forEach((k, v) -> sources.append(sources.length() > 1 ? "," : "").append('"')
                .append(Long.toHexString(k)).append("\":").append(v));
        sources.append('}');
        System.out.println("{\"program\":\"sink\",\"port\":\"" + portName + "\",\"received\":" + received
                + ",\"bytes\":" + bytes + ",\"first_seq\":" + first + ",\"last_seq\":" + lastSeq
                + ",\"out_of_order\":" + outOfOrder + ",\"by_source\":" + sources + "}");
    }

    /** {@code expect}: as for {@link #sink}. */
    static void forwarder(Path dir, String a, String b, long idleMs, long deadlineMs, long expect) throws Exception {
        Port in = Port.attach(dir, a);
        Port out = Port.attach(dir, b);
        int[] idx = new int[32];
        BackOff backOff = new BackOff(100, 10, 1_000, 200_000);
        long start = System.nanoTime();
        long last = start;
        long forwarded = 0;
        while (true) {
            long now = System.nanoTime();
            // The idle timer runs from the first packet on: the peers may still be starting.
            long idle = expect > 0 && forwarded >= expect ? LINGER_MS : idleMs;
            if ((last != start && now - last > idle * 1_000_000) || now - start > deadlineMs * 1_000_000) {
                break;
            }
            int n = in.rx().dequeueBurst(idx, 0, idx.length);
            if (n == 0) {
                backOff.idle();
                continue;
            }
            backOff.reset();
            last = System.nanoTime();
            int sent = 0;
            while (sent < n) {
                int k = out.tx().enqueueBurst(idx, sent, n - sent);
                sent += k;
                if (k == 0) {
                    backOff.idle();
                }
            }
            forwarded += n;
        }
        System.out.println("{\"program\":\"forwarder\",\"forwarded\":" + forwarded + "}");
    }

    /** A misbehaving VNF: indices outside the pool, then real buffers whose length overflows them. */
    static void garbage(Path dir, String portName, int count) throws Exception {
        Port port = Port.attach(dir, portName);
        int capacity = port.region().ringCapacity();
        // A raw view of our tx ring, not bound to the pool, so that we can write what a buggy or hostile VNF writes.
        SpscRing raw = SpscRing.attach(port.region().region().segment(), PortRegionLayout.txRingOffset(capacity),
                port.region().region().size() - PortRegionLayout.txRingOffset(capacity), Integer.MAX_VALUE, null);
        int[] bad = new int[count];
        for (int i = 0; i < count; i++) {
            bad[i] = i % 2 == 0 ? -1 - i : port.pool().bufferCount() + i;
        }
        int sent = 0;
        while (sent < count) {
            sent += raw.enqueueBurst(bad, sent, count - sent);
        }
        PacketBuffer buf = port.pool().newBufferView();
        int[] one = new int[1];
        int badLengths = 0;
        while (badLengths < count) {
            if (port.pool().allocBurst(one, 0, 1) == 0) {
                Thread.sleep(1);
                continue;
            }
            buf.wrapNew(one[0]);
            port.pool().buffers().set(java.lang.foreign.ValueLayout.JAVA_INT,
                    (long) one[0] * port.pool().bufferSize() + BufferLayout.LENGTH_OFFSET, 1 << 20);
            while (raw.enqueueBurst(one, 0, 1) == 0) {
                Thread.onSpinWait();
            }
            badLengths++;
        }
        System.out.println("{\"program\":\"garbage\",\"bad_indices\":" + count + ",\"bad_lengths\":" + badLengths + "}");
    }
}
