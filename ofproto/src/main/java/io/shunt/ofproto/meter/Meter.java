package io.shunt.ofproto.meter;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBand;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBandDrop;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBandDscpRemark;

/**
 * One meter (OF1.3 section 5.7): flags, bands (drop, dscp-remark), counters,
 * and a token bucket per band that the datapath charges with
 * {@link #charge}. Immutable configuration; a METER_MOD modify builds a new
 * Meter that keeps the counters.
 */
public final class Meter {
    private final long id;
    private final Set<OFMeterFlags> flags;
    private final List<OFMeterBand> bands;
    private final long createdNanos;
    private final AtomicLong packetsIn;
    private final AtomicLong bytesIn;
    /** Packets and bytes that hit each band: [2b]=packets, [2b+1]=bytes. */
    private final AtomicLongArray bandCounters;
    /** Per band: tokens in milli-units (bits*1000 for kbps... see charge) and last refill time. */
    private final AtomicLongArray tokens;
    private final AtomicLongArray lastRefill;

    Meter(long id, Set<OFMeterFlags> flags, List<OFMeterBand> bands, long createdNanos, Meter previous) {
        this.id = id;
        this.flags = Set.copyOf(flags);
        this.bands = List.copyOf(bands);
        this.createdNanos = previous != null ? previous.createdNanos : createdNanos;
        this.packetsIn = previous != null ? previous.packetsIn : new AtomicLong();
        this.bytesIn = previous != null ? previous.bytesIn : new AtomicLong();
        this.bandCounters = new AtomicLongArray(2 * this.bands.size());
        this.tokens = new AtomicLongArray(this.bands.size());
        this.lastRefill = new AtomicLongArray(this.bands.size());
        for (int b = 0; b < this.bands.size(); b++) {
            tokens.set(b, bucketCapacity(b));
            lastRefill.set(b, createdNanos);
        }
    }

    public long id() { return id; }
    public Set<OFMeterFlags> flags() { return flags; }
    public List<OFMeterBand> bands() { return bands; }
    public long createdNanos() { return createdNanos; }
    public long packetsIn() { return packetsIn.get(); }
    public long bytesIn() { return bytesIn.get(); }
    public long bandPackets(int b) { return bandCounters.get(2 * b); }
    public long bandBytes(int b) { return bandCounters.get(2 * b + 1); }

    static long rate(OFMeterBand b) {
        return switch (b) {
            case OFMeterBandDrop d -> d.getRate();
            case OFMeterBandDscpRemark r -> r.getRate();
            default -> 0;
        };
    }

    static long burst(OFMeterBand b) {
        return switch (b) {
            case OFMeterBandDrop d -> d.getBurstSize();
            case OFMeterBandDscpRemark r -> r.getBurstSize();
            default -> 0;
        };
    }

    private boolean packetMode() {
        return flags.contains(OFMeterFlags.PKTPS);
    }

    /** Bucket depth in the bucket's unit (packets*1000 or bits): burst if BURST is set, else one second of rate. */
    private long bucketCapacity(int b) {
        OFMeterBand band = bands.get(b);
        long size = flags.contains(OFMeterFlags.BURST) && burst(band) > 0 ? burst(band) : rate(band);
        // Units: PKTPS → milli-packets; KBPS → bits (rate in kbit/s, burst in kbits).
        return size * 1000;
    }

    /**
     * Charges one packet of {@code bytes} at switch time {@code nowNanos}:
     * returns the index of the band that applies (the exceeded band with
     * the highest rate, OF1.3 section 5.7.1) or -1 when the packet is within
     * every band's rate. Lock-free; counts the packet in the meter and band.
     */
    public int charge(long nowNanos, int bytes) {
        packetsIn.incrementAndGet();
        bytesIn.addAndGet(bytes);
        long cost = packetMode() ? 1000 : bytes * 8L;
        int applied = -1;
        long appliedRate = -1;
        for (int b = 0; b < bands.size(); b++) {
            long rate = rate(bands.get(b));
            long last = lastRefill.get(b);
            if (nowNanos > last && lastRefill.compareAndSet(b, last, nowNanos)) {
                // rate units per second → tokens (milli-packets or bits) per nanosecond: rate*1000/1e9.
                long refill = (nowNanos - last) * rate / 1_000_000L;
                long cap = bucketCapacity(b);
                long cur;
                do {
                    cur = tokens.get(b);
                } while (!tokens.compareAndSet(b, cur, Math.min(cap, cur + refill)));
            }
            if (tokens.addAndGet(b, -cost) < 0) {
                tokens.addAndGet(b, cost); // not consumed: the packet exceeds this band
                if (rate > appliedRate) {
                    applied = b;
                    appliedRate = rate;
                }
            }
        }
        if (applied >= 0) {
            bandCounters.incrementAndGet(2 * applied);
            bandCounters.addAndGet(2 * applied + 1, bytes);
        }
        return applied;
    }
}
