package io.shunt.ofproto.group;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFGroupType;

/**
 * One group (OF1.3 section 5.6): its type and buckets, immutable, plus
 * counters shared across modifications (packets and bytes of the group and
 * of each bucket, bumped by datapath threads with atomic adds).
 */
public final class Group {
    private final int id;
    private final OFGroupType type;
    private final List<OFBucket> buckets;
    private final long createdNanos;
    /** [0]=packets, [1]=bytes, then packets/bytes per bucket. */
    private final AtomicLongArray counters;

    Group(int id, OFGroupType type, List<OFBucket> buckets, long createdNanos) {
        this.id = id;
        this.type = type;
        this.buckets = List.copyOf(buckets);
        this.createdNanos = createdNanos;
        this.counters = new AtomicLongArray(2 + 2 * this.buckets.size());
    }

    public int id() { return id; }
    public OFGroupType type() { return type; }
    public List<OFBucket> buckets() { return buckets; }
    public long createdNanos() { return createdNanos; }

    /** Counts a packet that went through the group and bucket {@code bucket} (or -1 for none). Any thread. */
    public void count(int bucket, long bytes) {
        counters.getAndAdd(0, 1);
        counters.getAndAdd(1, bytes);
        if (bucket >= 0 && bucket < buckets.size()) {
            counters.getAndAdd(2 + 2 * bucket, 1);
            counters.getAndAdd(3 + 2 * bucket, bytes);
        }
    }

    /** Counts a packet in one bucket only (an ALL group's copies: the group counted it once). Any thread. */
    public void countBucket(int bucket, long bytes) {
        if (bucket >= 0 && bucket < buckets.size()) {
            counters.getAndAdd(2 + 2 * bucket, 1);
            counters.getAndAdd(3 + 2 * bucket, bytes);
        }
    }

    public long packets() { return counters.get(0); }
    public long bytes() { return counters.get(1); }
    public long bucketPackets(int b) { return counters.get(2 + 2 * b); }
    public long bucketBytes(int b) { return counters.get(3 + 2 * b); }
}
