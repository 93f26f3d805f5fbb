package io.shunt.ofproto.stats;

import com.google.common.hash.PrimitiveSink;
import io.netty.buffer.ByteBuf;
import org.projectfloodlight.openflow.protocol.OFTableFeatureProp;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * A table-feature property followed by the zero padding that OF1.3
 * section 7.3.5.5.2 requires ("padded to a multiple of 8 bytes", padding not
 * counted in the property's length). Loxi 3.6.605 writes the action-id and
 * OXM-id list properties without it, which OVS rejects; this wrapper adds it
 * and changes nothing else.
 */
final class PaddedTableFeatureProp implements OFTableFeatureProp {
    private final OFTableFeatureProp prop;

    PaddedTableFeatureProp(OFTableFeatureProp prop) {
        this.prop = prop;
    }

    @Override
    public int getType() {
        return prop.getType();
    }

    @Override
    public OFVersion getVersion() {
        return prop.getVersion();
    }

    @Override
    public void writeTo(ByteBuf bb) {
        int start = bb.writerIndex();
        prop.writeTo(bb);
        int declared = bb.getUnsignedShort(start + 2);
        int padded = (declared + 7) & ~7;
        // Loxi may already have padded (its next-tables property does in 1.3/1.4); pad only what is missing.
        int written = bb.writerIndex() - start;
        if (written < padded) bb.writeZero(padded - written);
    }

    @Override
    public Builder createBuilder() {
        return prop.createBuilder();
    }

    @Override
    public void putTo(PrimitiveSink sink) {
        prop.putTo(sink);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PaddedTableFeatureProp p && prop.equals(p.prop);
    }

    @Override
    public int hashCode() {
        return prop.hashCode();
    }

    @Override
    public String toString() {
        return prop.toString();
    }
}
