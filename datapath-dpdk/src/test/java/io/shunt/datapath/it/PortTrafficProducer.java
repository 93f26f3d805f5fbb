package io.shunt.datapath.it;

import java.nio.file.Path;

import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.pool.PoolCache;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.ring.BackOff;
import io.shunt.datapath.ring.SpscRing;

/**
 * Child process: the switch side of a port, producing numbered 64-byte packets on the rx
 * ring. Each packet carries its sequence number (data bytes 0..7) and the number of packets
 * dropped before it (bytes 8..15), so a consumer can check order and account for every loss.
 * After {@code count} packets it sends an end marker (flags = 1), waiting for room.
 *
 * <p>Args: pool-file port-file count wait|drop timeout-seconds. In {@code wait} mode a full
 * ring makes the producer back off and retry; in {@code drop} mode it frees what did not fit
 * and counts it as dropped, as the switch does for a VNF that stopped polling.
 */
public final class PortTrafficProducer {
    static final int BURST = 32;
    static final int FRAME = 64;
    static final int END_FLAG = 1;

    private PortTrafficProducer() {
    }

    public static void main(String[] args) throws Exception {
        Path poolFile = Path.of(args[0]);
        Path portFile = Path.of(args[1]);
        long count = Long.parseLong(args[2]);
        boolean drop = args[3].equals("drop");
        long deadline = System.nanoTime() + Long.parseLong(args[4]) * 1_000_000_000L;
        try (PacketPool pool = PacketPool.attach(poolFile); PortRegion port = PortRegion.attach(portFile)) {
            SpscRing ring = port.rxRing(pool);
            PoolCache cache = pool.newCache();
            PacketBuffer buffer = pool.newBufferView();
            BackOff backOff = BackOff.standard();
            int[] burst = new int[BURST];
            long seq = 0;
            long dropped = 0;
            while (seq < count) {
                if (System.nanoTime() > deadline) {
                    fail("timed out at sequence " + seq);
                }
                int n = (int) Math.min(BURST, count - seq);
                int got = cache.allocBurst(burst, 0, n);
                if (got == 0) {
                    backOff.idle();
                    continue;
                }
                for (int i = 0; i < got; i++) {
                    buffer.wrapNew(burst[i]).length(FRAME);
                    buffer.putLong(0, seq + i).putLong(8, dropped);
                }
                if (drop) {
                    int sent = ring.enqueueBurst(burst, 0, got);
                    if (sent < got) {
                        cache.freeBurst(burst, sent, got - sent);
                        ring.countDrops(got - sent);
                        dropped += got - sent;
                    }
                    backOff.afterRound(sent);
                } else {
                    int sent = 0;
                    while (sent < got) {
                        int k = ring.enqueueBurst(burst, sent, got - sent);
                        sent += k;
                        backOff.afterRound(k);
                        if (k == 0 && System.nanoTime() > deadline) {
                            fail("timed out at sequence " + seq + ": ring stays full");
                        }
                    }
                }
                seq += got;
            }
            int got;
            while ((got = cache.allocBurst(burst, 0, 1)) == 0) {
                backOff.idle();
            }
            buffer.wrapNew(burst[0]).length(FRAME).flags(END_FLAG);
            buffer.putLong(0, seq).putLong(8, dropped);
            while (ring.enqueueBurst(burst, 0, 1) == 0) {
                if (System.nanoTime() > deadline) {
                    fail("timed out sending the end marker");
                }
                backOff.idle();
            }
            cache.flush();
            System.out.println("RESULT sent=" + seq + " dropped=" + dropped);
        }
    }

    static void fail(String message) {
        System.out.println("FAIL " + message);
        System.out.flush();
        System.exit(1);
    }
}
