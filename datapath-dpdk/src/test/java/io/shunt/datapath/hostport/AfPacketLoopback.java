package io.shunt.datapath.hostport;

import io.shunt.datapath.buffer.BufferLayout;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.region.RegionOptions;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs inside a network namespace holding a veth pair {@code v0}-{@code v1} (see
 * {@link AfPacketPortTest}): opens both as afpacket ports over one pool, sends through v0
 * and receives on v1, and prints {@code RESULT key=value ...}.
 */
public final class AfPacketLoopback {
    private static PacketPool pool;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        pool = PacketPool.create(RegionOptions.in(dir), "loopback-pool", 1024, 1);
        try (AfPacketPort v0 = AfPacketPort.open("v0", "v0", 1, pool, AfPacketConfig.defaults());
             AfPacketPort v1 = AfPacketPort.open("v1", "v1", 2, pool, AfPacketConfig.defaults())) {
            int n = 100;
            byte[][] sent = new byte[n + 2][];
            for (int i = 0; i < n; i++) {
                sent[i] = frame(64, 0x0800, i);
            }
            // A tagged frame (TPID 0x8100, VID 42, PCP 3): the kernel untags it on v1, the port re-inserts it.
            sent[n] = frame(64, 0x8100, n);
            sent[n][14] = (byte) 0x60;
            sent[n][15] = 42;
            sent[n][16] = 0x08;
            sent[n][17] = 0x00;
            // Longer than v0's MTU + 14: dropped by the transmit side, counted.
            sent[n + 1] = frame(1600, 0x0800, n + 1);
            int taken = 0;
            for (int i = 0; i < sent.length; i += 16) {
                int[] burst = load(Arrays.copyOfRange(sent, i, Math.min(sent.length, i + 16)));
                int t = v0.txBurst(burst, 0, burst.length);
                pool.freeBurst(burst, t, burst.length - t);
                taken += t;
            }
            int[] rx = new int[32];
            int received = 0;
            int mismatched = 0;
            int vlanOk = 0;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (received < n + 1 && System.nanoTime() < deadline) {
                int got = v1.rxBurst(rx, rx.length);
                for (int k = 0; k < got; k++) {
                    byte[] data = bytes(rx[k]);
                    byte[] expected = sent[received];
                    if (!Arrays.equals(data, expected)) {
                        mismatched++;
                    } else if (received == n) {
                        vlanOk = 1;
                    }
                    received++;
                }
                pool.freeBurst(rx, 0, got);
                if (got == 0) {
                    Thread.sleep(1);
                }
            }
            Thread.sleep(200);
            int late = v1.rxBurst(rx, rx.length);
            pool.freeBurst(rx, 0, late);
            var s0 = v0.stats();
            var s1 = v1.stats();
            System.out.println("RESULT taken=" + taken + " received=" + received + " late=" + late
                    + " mismatched=" + mismatched + " vlan_ok=" + vlanOk + " tx_packets=" + s0.txPackets()
                    + " tx_dropped=" + s0.txDropped() + " tx_oversize=" + v0.detailCounters().get("tx_oversize")
                    + " rx_packets=" + s1.rxPackets() + " rx_bytes=" + s1.rxBytes()
                    + " rx_errors=" + s1.rxErrors());
        }
        System.out.println("RESULT free_after_close=" + pool.freeCount());
    }

    private static byte[] frame(int length, int etherType, int seq) {
        byte[] f = new byte[length];
        byte[] dst = {0x02, 0, 0, 0, 0, 0x02};
        byte[] src = {0x02, 0, 0, 0, 0, 0x01};
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) (etherType >> 8);
        f[13] = (byte) etherType;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seq + i);
        }
        return f;
    }

    private static int[] load(byte[][] frames) {
        int[] idx = new int[frames.length];
        if (pool.allocBurst(idx, 0, idx.length) != idx.length) {
            throw new IllegalStateException("pool empty");
        }
        MemorySegment b = pool.buffers();
        for (int i = 0; i < frames.length; i++) {
            long base = (long) idx[i] * pool.bufferSize();
            int off = pool.defaultDataOffset();
            MemorySegment.copy(frames[i], 0, b, ValueLayout.JAVA_BYTE, base + off, frames[i].length);
            b.set(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET, off);
            b.set(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET, frames[i].length);
        }
        return idx;
    }

    private static byte[] bytes(int index) {
        MemorySegment b = pool.buffers();
        long base = (long) index * pool.bufferSize();
        int off = b.get(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET);
        int len = b.get(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET);
        return b.asSlice(base + off, len).toArray(ValueLayout.JAVA_BYTE);
    }
}
