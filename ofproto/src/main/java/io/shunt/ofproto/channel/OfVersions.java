package io.shunt.ofproto.channel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U32;

/**
 * The OpenFlow versions a switch offers and the HELLO negotiation
 * (OF1.3.1+ section 6.3.1, "version bitmap" hello element; OF1.0 section
 * 5.5.1 for peers without one).
 */
public final class OfVersions {

    /** What shunt implements: 1.0, 1.3 (the reference), 1.4 and 1.5. */
    public static final Set<OFVersion> SUPPORTED =
            Collections.unmodifiableSet(EnumSet.of(OFVersion.OF_10, OFVersion.OF_13, OFVersion.OF_14, OFVersion.OF_15));

    private final EnumSet<OFVersion> allowed;
    private final OFVersion highest;
    private final long bitmap;

    /** @param allowed a non-empty subset of {@link #SUPPORTED} (like OVS's {@code protocols=} column) */
    public OfVersions(Set<OFVersion> allowed) {
        if (allowed.isEmpty() || !SUPPORTED.containsAll(allowed)) {
            throw new IllegalArgumentException("allowed OpenFlow versions must be a non-empty subset of "
                    + SUPPORTED + ", got " + allowed);
        }
        this.allowed = EnumSet.copyOf(allowed);
        OFVersion max = null;
        long bits = 0;
        for (OFVersion v : this.allowed) {
            bits |= 1L << v.getWireVersion();
            if (max == null || v.getWireVersion() > max.getWireVersion()) {
                max = v;
            }
        }
        this.highest = max;
        this.bitmap = bits;
    }

    public static OfVersions all() {
        return new OfVersions(SUPPORTED);
    }

    public Set<OFVersion> allowed() {
        return Collections.unmodifiableSet(allowed);
    }

    static OFFactory factory(OFVersion version) {
        return OFFactories.getFactory(version);
    }

    /** Our HELLO: the highest version in the header, and the bitmap when the header version knows it (1.3+). */
    OFHello hello(long xid) {
        OFFactory f = factory(highest);
        OFHello.Builder b = f.buildHello().setXid(xid);
        if (highest.getWireVersion() >= OFVersion.OF_13.getWireVersion()) {
            b.setElements(List.of(f.helloElemVersionbitmap(List.of(U32.of(bitmap)))));
        }
        return b.build();
    }

    /**
     * The version to speak with a peer whose HELLO carried {@code headerVersion}
     * and, if present, a version bitmap; empty when nothing is common.
     */
    Optional<OFVersion> negotiate(int headerVersion, OFHello peerHello) {
        List<U32> peerBitmaps = peerBitmaps(peerHello);
        if (!peerBitmaps.isEmpty()) {
            long common = bitmap & peerBitmaps.get(0).getValue();
            return common == 0 ? Optional.empty() : Optional.of(fromWire(63 - Long.numberOfLeadingZeros(common)));
        }
        int v = Math.min(headerVersion, highest.getWireVersion());
        OFVersion candidate = wireToVersion(v);
        return candidate != null && allowed.contains(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    /** The version in which to send an error before negotiation finished: the peer's if we speak it. */
    OFVersion errorVersion(int peerWireVersion) {
        OFVersion v = wireToVersion(peerWireVersion);
        return v != null && SUPPORTED.contains(v) ? v : highest;
    }

    String describe() {
        List<String> names = new ArrayList<>();
        for (OFVersion v : allowed) {
            names.add(v.toString());
        }
        return String.join(",", names);
    }

    private static List<U32> peerBitmaps(OFHello hello) {
        if (hello.getVersion().getWireVersion() < OFVersion.OF_13.getWireVersion()) {
            return List.of();
        }
        for (OFHelloElem e : hello.getElements()) {
            if (e instanceof OFHelloElemVersionbitmap bitmapElem && !bitmapElem.getBitmaps().isEmpty()) {
                return bitmapElem.getBitmaps();
            }
        }
        return List.of();
    }

    static OFVersion wireToVersion(int wire) {
        for (OFVersion v : OFVersion.values()) {
            if (v.getWireVersion() == wire) {
                return v;
            }
        }
        return null;
    }

    private static OFVersion fromWire(int wire) {
        OFVersion v = wireToVersion(wire);
        if (v == null) {
            throw new IllegalStateException("no Loxi version for wire version " + wire);
        }
        return v;
    }
}
