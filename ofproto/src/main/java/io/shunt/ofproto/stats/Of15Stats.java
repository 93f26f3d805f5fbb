package io.shunt.ofproto.stats;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.stat.Stat;
import org.projectfloodlight.openflow.protocol.stat.StatField;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;

/** OpenFlow 1.5 carries flow counters as OXS fields (section 7.2.4) instead of fixed fields. */
public final class Of15Stats {
    private Of15Stats() {}

    /** OXS duration: seconds in the upper 32 bits, nanoseconds in the lower 32 (OF1.5 section 7.2.4.2). */
    static U64 duration(long nanos) {
        return U64.of(((nanos / 1_000_000_000L) << 32) | (nanos % 1_000_000_000L));
    }

    public static Stat flow(OFFactory f, long durationNanos, long packets, long bytes) {
        return f.buildStat().set(StatField.DURATION, duration(durationNanos))
                .set(StatField.PACKET_COUNT, U64.of(packets)).set(StatField.BYTE_COUNT, U64.of(bytes)).build();
    }

    public static Stat aggregate(OFFactory f, long flows, long packets, long bytes) {
        return f.buildStat().set(StatField.FLOW_COUNT, U32.of(flows))
                .set(StatField.PACKET_COUNT, U64.of(packets)).set(StatField.BYTE_COUNT, U64.of(bytes)).build();
    }
}
