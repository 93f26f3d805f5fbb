package io.shunt.ofproto.stats;

import com.google.common.hash.PrimitiveSink;
import io.netty.buffer.ByteBuf;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.stat.Stat;
import org.projectfloodlight.openflow.protocol.stat.StatField;
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;

/**
 * OpenFlow 1.5 carries flow counters as OXS fields (section 7.2.4) instead of
 * fixed fields.
 *
 * <p>Loxi 3.6.605 numbers the basic OXS fields 0..4 in declaration order
 * (duration, idle_time, flow_count, packet_count, byte_count), but the spec
 * (enum oxs_ofb_stat_fields) skips 2: FLOW_COUNT is 3, PACKET_COUNT 4 and
 * BYTE_COUNT 5. Loxi's bytes therefore say "flow_count = packets,
 * packet_count = bytes" and no byte count, which ovs-ofctl prints as
 * {@code n_packets=<bytes>, n_bytes=?}. The objects returned here keep Loxi's
 * in-memory view (for our code and tests) and write the spec's numbering on
 * the wire.
 */
public final class Of15Stats {
    private Of15Stats() {}

    /** OXS class OFPXSC_OPENFLOW_BASIC (section 7.2.4.1). */
    private static final int OXS_CLASS_BASIC = 0x8002;
    static final int OXS_DURATION = 0;
    static final int OXS_FLOW_COUNT = 3;
    static final int OXS_PACKET_COUNT = 4;
    static final int OXS_BYTE_COUNT = 5;

    /** OXS duration: seconds in the upper 32 bits, nanoseconds in the lower 32 (OF1.5 section 7.2.4.2). */
    static U64 duration(long nanos) {
        return U64.of(((nanos / 1_000_000_000L) << 32) | (nanos % 1_000_000_000L));
    }

    /** ofp_stats of a flow entry (flow stats reply, flow removed): duration, packet and byte counts. */
    public static Stat flow(OFFactory f, long durationNanos, long packets, long bytes) {
        U64 d = duration(durationNanos);
        Stat loxi = f.buildStat().set(StatField.DURATION, d)
                .set(StatField.PACKET_COUNT, U64.of(packets)).set(StatField.BYTE_COUNT, U64.of(bytes)).build();
        return new SpecStat(loxi, d.getValue(), -1, packets, bytes);
    }

    /** ofp_stats of an aggregate stats reply: flow count, packet and byte counts. */
    public static Stat aggregate(OFFactory f, long flows, long packets, long bytes) {
        Stat loxi = f.buildStat().set(StatField.FLOW_COUNT, U32.of(flows))
                .set(StatField.PACKET_COUNT, U64.of(packets)).set(StatField.BYTE_COUNT, U64.of(bytes)).build();
        return new SpecStat(loxi, -1, flows, packets, bytes);
    }

    /** Loxi's stat object with the spec's wire encoding; -1 for "field absent". */
    private record SpecStat(Stat loxi, long duration, long flowCount, long packets, long bytes) implements Stat {
        @Override
        public void writeTo(ByteBuf bb) {
            int start = bb.writerIndex();
            bb.writeShort(0); // reserved
            bb.writeShort(0); // length, patched below: header plus fields, without the padding
            if (duration != -1) writeField(bb, OXS_DURATION, 8, duration);
            if (flowCount != -1) writeField(bb, OXS_FLOW_COUNT, 4, flowCount);
            writeField(bb, OXS_PACKET_COUNT, 8, packets);
            writeField(bb, OXS_BYTE_COUNT, 8, bytes);
            int length = bb.writerIndex() - start;
            bb.setShort(start + 2, length);
            // Section 7.2.4: ofp_stats is padded to a multiple of 8 bytes, padding not counted in length.
            bb.writeZero(((length + 7) & ~7) - length);
        }

        private static void writeField(ByteBuf bb, int field, int size, long value) {
            // OXS header: class (16 bits), field (7 bits), reserved (1 bit, zero), length (8 bits).
            bb.writeInt(OXS_CLASS_BASIC << 16 | field << 9 | size);
            if (size == 4) bb.writeInt((int) value);
            else bb.writeLong(value);
        }

        @Override
        public <F extends OFValueType<F>> F get(StatField<F> field) {
            return loxi.get(field);
        }

        @Override
        public boolean supports(StatField<?> field) {
            return loxi.supports(field);
        }

        @Override
        public Iterable<StatField<?>> getStatFields() {
            return loxi.getStatFields();
        }

        @Override
        public Builder createBuilder() {
            return loxi.createBuilder();
        }

        @Override
        public OFVersion getVersion() {
            return loxi.getVersion();
        }

        @Override
        public void putTo(PrimitiveSink sink) {
            loxi.putTo(sink);
        }

        @Override
        public String toString() {
            return loxi.toString();
        }
    }
}
