package io.shunt.vnf;

import java.util.concurrent.TimeUnit;

import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.ring.BackOff;
import io.shunt.datapath.ring.SpscRing;

/**
 * Test harness that plays the switch for two port regions until the real one exists in
 * these tests: a thread that moves every buffer from port A's tx ring to port B's rx ring,
 * in order, holding a burst (and backing off) while B's rx ring is full, so nothing is lost.
 * It is the consumer of A's tx ring and the producer of B's rx ring, the roles a PMD thread
 * of the switch has.
 *
 * <p>For checking the sink, it can also inject faults at fixed positions of the packet
 * stream (counted from 0): drop the packet at position {@code p} when {@code p % 1000 == 100},
 * duplicate it (a copy in a new buffer, right after it) when {@code p % 1000 == 400}, and swap
 * it with the next packet when {@code p % 1000 == 700}. At most one fault per packet, so the
 * expected counts are exact.
 */
final class RingWire implements AutoCloseable {
    private static final int BURST = 32;

    private final SpscRing in;
    private final SpscRing out;
    private final PacketPool pool;
    private final boolean faults;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long moved;
    private volatile long dropped;
    private volatile long duplicated;
    private volatile long swapped;
    private volatile Throwable failure;
    private volatile boolean paused;

    private RingWire(String name, PortRegion from, PortRegion to, PacketPool pool, boolean faults, boolean paused) {
        this.in = from.txRing(pool);
        this.out = to.rxRing(pool);
        this.pool = pool;
        this.faults = faults;
        this.paused = paused;
        this.thread = new Thread(this::run, "wire-" + name);
        this.thread.setDaemon(true);
    }

    /** A lossless wire from {@code from}'s tx ring to {@code to}'s rx ring. */
    static RingWire start(String name, PortRegion from, PortRegion to, PacketPool pool) {
        RingWire wire = new RingWire(name, from, to, pool, false, false);
        wire.thread.start();
        return wire;
    }

    /** A wire that injects the faults described above. */
    static RingWire startWithFaults(String name, PortRegion from, PortRegion to, PacketPool pool) {
        RingWire wire = new RingWire(name, from, to, pool, true, false);
        wire.thread.start();
        return wire;
    }

    /** A lossless wire that moves nothing until {@link #resume()}. */
    static RingWire startPaused(String name, PortRegion from, PortRegion to, PacketPool pool) {
        RingWire wire = new RingWire(name, from, to, pool, false, true);
        wire.thread.start();
        return wire;
    }

    void resume() {
        paused = false;
    }

    private void run() {
        try {
            if (faults) {
                runWithFaults();
            } else {
                runLossless();
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void runLossless() {
        int[] burst = new int[BURST];
        BackOff backOff = BackOff.standard();
        long count = 0;
        while (!stopping) {
            if (paused) {
                backOff.idle();
                continue;
            }
            int n = in.dequeueBurst(burst, 0, BURST);
            backOff.afterRound(n);
            if (n > 0) {
                send(burst, n, backOff);
                count += n;
                moved = count;
            }
        }
    }

    /** Offers {@code burst[0..n)} until {@code out} takes it all (or the wire stops). */
    private void send(int[] burst, int n, BackOff backOff) {
        int sent = 0;
        while (sent < n && !stopping) {
            int t = out.enqueueBurst(burst, sent, n - sent);
            sent += t;
            if (t == 0) {
                backOff.idle();
            }
        }
        backOff.reset();
    }

    private void runWithFaults() {
        int[] burst = new int[BURST];
        int[] output = new int[BURST * 2 + 1];
        int[] copy = new int[1];
        byte[] frame = new byte[2048];
        PacketBuffer source = pool.newBufferView();
        PacketBuffer target = pool.newBufferView();
        BackOff backOff = BackOff.standard();
        long position = 0;
        int held = -1;
        while (!stopping) {
            int n = in.dequeueBurst(burst, 0, BURST);
            backOff.afterRound(n);
            int m = 0;
            for (int i = 0; i < n; i++, position++) {
                int b = burst[i];
                long phase = position % 1000;
                if (phase == 100) {
                    pool.freeBurst(burst, i, 1);
                    dropped++;
                } else if (phase == 400) {
                    output[m++] = b;
                    if (pool.allocBurst(copy, 0, 1) != 1) {
                        throw new IllegalStateException("pool dry while duplicating packet " + position);
                    }
                    int length = source.wrap(b).length();
                    source.getBytes(0, frame, 0, length);
                    target.wrapNew(copy[0]).length(length).putBytes(0, frame, 0, length);
                    output[m++] = copy[0];
                    duplicated++;
                } else if (phase == 700) {
                    held = b;
                } else {
                    output[m++] = b;
                    if (held >= 0) {
                        output[m++] = held;
                        held = -1;
                        swapped++;
                    }
                }
            }
            if (m > 0) {
                send(output, m, backOff);
                moved += m;
            }
        }
    }

    long moved() {
        return moved;
    }

    long dropped() {
        return dropped;
    }

    long duplicated() {
        return duplicated;
    }

    long swapped() {
        return swapped;
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(TimeUnit.SECONDS.toMillis(10));
        if (failure != null) {
            throw new AssertionError("wire failed", failure);
        }
    }
}
