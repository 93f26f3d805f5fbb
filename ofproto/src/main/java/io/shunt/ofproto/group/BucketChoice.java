package io.shunt.ofproto.group;

import io.shunt.ofproto.datapath.PortInfo;
import java.util.List;
import java.util.function.IntFunction;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Which bucket of a group a packet takes (OF1.3 section 5.6.1): a bucket is live when its
 * watch port is live and its watch group has a live bucket; fast-failover takes the first
 * live bucket, select a weighted choice among the live ones by the flow's hash (so a flow
 * keeps its bucket). One rule for every datapath that executes groups.
 *
 * <p>Group loops are refused at GROUP_MOD; {@code maxDepth} only bounds the walk through
 * watch groups. Allocation-free; safe from any thread.
 */
public final class BucketChoice {

    private final IntFunction<PortInfo> ports;
    private final GroupTable groups;
    private final int maxDepth;

    public BucketChoice(IntFunction<PortInfo> ports, GroupTable groups, int maxDepth) {
        this.ports = ports;
        this.groups = groups;
        this.maxDepth = maxDepth;
    }

    /** Index of the first live bucket (fast-failover), or -1. */
    public int firstLive(List<OFBucket> buckets, int depth) {
        for (int i = 0; i < buckets.size(); i++) {
            if (live(buckets.get(i), depth)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the live bucket {@code flowHash} picks, weighted (select), or -1 when none is live. */
    public int select(List<OFBucket> buckets, long flowHash, int depth) {
        long total = 0;
        for (OFBucket b : buckets) {
            if (live(b, depth)) {
                total += Math.max(1, b.getWeight());
            }
        }
        if (total == 0) {
            return -1;
        }
        long point = Math.floorMod(flowHash * 0x9E3779B97F4A7C15L, total);
        for (int i = 0; i < buckets.size(); i++) {
            OFBucket b = buckets.get(i);
            if (!live(b, depth)) {
                continue;
            }
            point -= Math.max(1, b.getWeight());
            if (point < 0) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a bucket may be used: its watch port live, its watch group with a live bucket. */
    public boolean live(OFBucket b, int depth) {
        int watchPort;
        int watchGroup;
        try {
            watchPort = b.getWatchPort().getPortNumber();
            watchGroup = b.getWatchGroup().getGroupNumber();
        } catch (UnsupportedOperationException e) {
            return true; // OF1.0 has no watch fields
        }
        if (watchPort != OFPort.ANY.getPortNumber()) {
            PortInfo p = ports.apply(watchPort);
            if (p == null || !p.isLive()) {
                return false;
            }
        }
        if (watchGroup != OFGroup.ANY.getGroupNumber()) {
            Group g = groups.group(watchGroup);
            if (g == null || depth > maxDepth) {
                return false;
            }
            for (OFBucket inner : g.buckets()) {
                if (live(inner, depth + 1)) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }
}
