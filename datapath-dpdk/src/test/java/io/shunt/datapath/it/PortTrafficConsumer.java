package io.shunt.datapath.it;

import java.nio.file.Path;

import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.pool.PoolCache;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.ring.BackOff;
import io.shunt.datapath.ring.SpscRing;

/**
 * Child process: the VNF side of a port, consuming what {@link PortTrafficProducer} sends on
 * the rx ring until the end marker, freeing every buffer.
 *
 * <p>Args: pool-file port-file strict|resume timeout-seconds. {@code strict}: packets must
 * arrive numbered 0, 1, 2, ... with nothing dropped. {@code resume} (a consumer restarted
 * mid-stream): from the first packet it sees, sequence numbers must increase, and every gap
 * must equal the drops the producer counted in between: no loss unaccounted, no duplicate,
 * no reordering. Exit status 0 only if every check held.
 */
public final class PortTrafficConsumer {
    private PortTrafficConsumer() {
    }

    public static void main(String[] args) throws Exception {
        Path poolFile = Path.of(args[0]);
        Path portFile = Path.of(args[1]);
        boolean strict = args[2].equals("strict");
        long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
        try (PacketPool pool = PacketPool.attach(poolFile); PortRegion port = PortRegion.attach(portFile)) {
            SpscRing ring = port.rxRing(pool);
            PoolCache cache = pool.newCache();
            PacketBuffer buffer = pool.newBufferView();
            BackOff backOff = BackOff.standard();
            int[] burst = new int[PortTrafficProducer.BURST];
            long received = 0;
            long first = -1;
            long firstPosition = -1;
            long lastSeq = -1;
            long lastDropped = 0;
            long gaps = 0;
            boolean end = false;
            while (!end) {
                int n = ring.dequeueBurst(burst, 0, burst.length);
                backOff.afterRound(n);
                if (n == 0 && System.nanoTime() > deadline) {
                    PortTrafficProducer.fail("timed out after " + received + " packets, last sequence " + lastSeq);
                }
                for (int i = 0; i < n; i++) {
                    buffer.wrap(burst[i]);
                    if (buffer.length() != PortTrafficProducer.FRAME) {
                        PortTrafficProducer.fail("buffer " + burst[i] + " has length " + buffer.length());
                    }
                    long seq = buffer.getLong(0);
                    long dropped = buffer.getLong(8);
                    if (first < 0) {
                        first = seq;
                        // Every earlier packet was enqueued or dropped: this one's ring position.
                        firstPosition = seq - dropped;
                        if (strict && seq != 0) {
                            PortTrafficProducer.fail("first sequence " + seq + ", expected 0");
                        }
                    } else {
                        long missing = seq - lastSeq - 1;
                        if (missing < 0) {
                            PortTrafficProducer.fail("sequence " + seq + " after " + lastSeq + ": duplicate or reordered");
                        }
                        if (missing != dropped - lastDropped) {
                            PortTrafficProducer.fail("sequence " + seq + " after " + lastSeq + ": " + missing
                                    + " missing but the producer dropped " + (dropped - lastDropped));
                        }
                        if (strict && missing != 0) {
                            PortTrafficProducer.fail("sequence " + seq + " after " + lastSeq + ": loss in strict mode");
                        }
                        gaps += missing;
                    }
                    lastSeq = seq;
                    lastDropped = dropped;
                    received++;
                    if (buffer.flags() == PortTrafficProducer.END_FLAG) {
                        end = true;
                    }
                }
                cache.freeBurst(burst, 0, n);
            }
            cache.flush();
            System.out.println("RESULT received=" + received + " first=" + first + " firstPosition=" + firstPosition + " last=" + lastSeq + " gaps=" + gaps
                    + " rejected=" + ring.counters().rejected());
        }
    }
}
