package io.shunt.ofproto.flow;

import io.shunt.ofproto.OfErrorException;
import io.shunt.ofproto.classifier.KeyField;
import io.shunt.ofproto.classifier.KeyLayout;
import java.util.EnumMap;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFBadMatchCode;
import org.projectfloodlight.openflow.protocol.OFMatchV3;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.Masked;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFValueType;

/**
 * Validates a Loxi match and turns it into classifier words (OF1.3 section
 * 7.2.3): unknown fields (OFPBMC_BAD_FIELD), masks on fields that take none
 * (OFPBMC_BAD_MASK), value bits outside the mask (OFPBMC_BAD_WILDCARDS),
 * out-of-range values (OFPBMC_BAD_VALUE) and missing prerequisites
 * (OFPBMC_BAD_PREREQ). OpenFlow 1.0 has no prerequisite errors: fields whose
 * prerequisite is absent are ignored, as that version specifies.
 */
public final class MatchCompiler {
    private MatchCompiler() {}

    private static final int OFPVID_PRESENT = 0x1000;

    public static CompiledMatch compile(Match match, OFVersion version) throws OfErrorException {
        long[] value = new long[KeyLayout.WORDS];
        long[] mask = new long[KeyLayout.WORDS];
        Map<OxmField, long[]> present = new EnumMap<>(OxmField.class); // field → {value, mask, low value, low mask}
        if (match instanceof OFMatchV3 v3) {
            // The raw OXM list: Loxi's typed accessors hide fields whose prerequisites are absent,
            // and those are exactly what OFPBMC_BAD_PREREQ must report.
            for (OFOxm<?> oxm : v3.getOxmList()) {
                OxmField f = OxmField.of(oxm.getMatchField().id);
                if (f == null) {
                    throw OfErrorException.badMatch(OFBadMatchCode.BAD_FIELD,
                            "match field " + oxm.getMatchField().getName() + " is not supported");
                }
                if (present.put(f, valueAndMask(oxm, f)) != null) {
                    throw OfErrorException.badMatch(OFBadMatchCode.DUP_FIELD, "match field " + oxm.getMatchField().getName() + " appears twice");
                }
            }
        } else {
            for (MatchField<?> mf : match.getMatchFields()) {
                OxmField f = OxmField.of(mf.id);
                if (f == null) {
                    throw OfErrorException.badMatch(OFBadMatchCode.BAD_FIELD, "match field " + mf.getName() + " is not supported");
                }
                present.put(f, valueAndMask(match, mf, f));
            }
        }
        for (Map.Entry<OxmField, long[]> e : present.entrySet()) {
            OxmField f = e.getKey();
            long[] vm = e.getValue();
            if (!prerequisiteMet(f.prerequisite, present)) {
                if (version == OFVersion.OF_10) continue;
                throw OfErrorException.badMatch(OFBadMatchCode.BAD_PREREQ,
                        "match field " + f.name().toLowerCase() + " needs " + describe(f.prerequisite));
            }
            set(value, mask, f.key, vm[0], vm[1]);
            if (f.is128()) set(value, mask, f.lowHalf(), vm[2], vm[3]);
        }
        return new CompiledMatch(value, mask, match);
    }

    private static void set(long[] value, long[] mask, KeyField k, long v, long m) {
        k.set(value, v & m);
        k.set(mask, m);
    }

    private static long[] valueAndMask(OFOxm<?> oxm, OxmField f) throws OfErrorException {
        String name = oxm.getMatchField().getName();
        long v = OxmValues.raw(f, oxm.getValue());
        long vLo = f.is128() ? OxmValues.rawLow(oxm.getValue()) : 0;
        long m, mLo;
        if (oxm.isMasked()) {
            m = OxmValues.raw(f, oxm.getMask());
            mLo = f.is128() ? OxmValues.rawLow(oxm.getMask()) : 0;
            boolean full = (m & f.key.valueMask) == f.key.valueMask && (!f.is128() || mLo == -1L);
            if (!f.maskable && !full) {
                throw OfErrorException.badMatch(OFBadMatchCode.BAD_MASK, "match field " + name + " cannot be masked");
            }
        } else {
            m = f.key.valueMask;
            mLo = f.is128() ? -1L : 0;
        }
        return check(f, name, v, m & f.key.valueMask, vLo, mLo);
    }

    private static long[] check(OxmField f, String name, long v, long m, long vLo, long mLo) throws OfErrorException {
        if ((v & ~f.key.valueMask) != 0) {
            throw OfErrorException.badMatch(OFBadMatchCode.BAD_VALUE,
                    "match field " + name + " value 0x" + Long.toHexString(v) + " is wider than " + f.key.width + " bits");
        }
        if ((v & ~m) != 0 || (vLo & ~mLo) != 0) {
            throw OfErrorException.badMatch(OFBadMatchCode.BAD_WILDCARDS, "match field " + name + " has value bits outside its mask");
        }
        checkValue(f, v, m, name);
        return new long[] {v, m, vLo, mLo};
    }

    private static <F extends OFValueType<F>> long[] valueAndMask(Match match, MatchField<?> raw, OxmField f) throws OfErrorException {
        @SuppressWarnings("unchecked")
        MatchField<F> mf = (MatchField<F>) raw;
        long v, m, vLo = 0, mLo = 0;
        boolean partial = match.isPartiallyMasked(mf);
        if (partial && !f.maskable) {
            throw OfErrorException.badMatch(OFBadMatchCode.BAD_MASK, "match field " + mf.getName() + " cannot be masked");
        }
        if (partial) {
            Masked<F> masked = match.getMasked(mf);
            v = OxmValues.raw(f, masked.getValue());
            m = OxmValues.raw(f, masked.getMask());
            if (f.is128()) {
                vLo = OxmValues.rawLow(masked.getValue());
                mLo = OxmValues.rawLow(masked.getMask());
            }
        } else {
            F value = match.get(mf);
            v = OxmValues.raw(f, value);
            m = f.key.valueMask;
            if (f.is128()) {
                vLo = OxmValues.rawLow(value);
                mLo = -1L;
            }
        }
        m &= f.key.valueMask;
        if ((v & ~f.key.valueMask) != 0) {
            throw OfErrorException.badMatch(OFBadMatchCode.BAD_VALUE,
                    "match field " + mf.getName() + " value 0x" + Long.toHexString(v) + " is wider than " + f.key.width + " bits");
        }
        if ((v & ~m) != 0 || (vLo & ~mLo) != 0) {
            throw OfErrorException.badMatch(OFBadMatchCode.BAD_WILDCARDS,
                    "match field " + mf.getName() + " has value bits outside its mask");
        }
        checkValue(f, v, m, mf.getName());
        return new long[] {v, m, vLo, mLo};
    }

    private static void checkValue(OxmField f, long v, long m, String name) throws OfErrorException {
        switch (f) {
            case IN_PORT, IN_PHY_PORT -> {
                int port = (int) v;
                if (port == 0 || (Integer.compareUnsigned(port, OFPort.MAX.getPortNumber()) > 0
                        && port != OFPort.LOCAL.getPortNumber() && port != OFPort.CONTROLLER.getPortNumber())) {
                    throw OfErrorException.badMatch(OFBadMatchCode.BAD_VALUE, name + " " + Integer.toUnsignedString(port) + " is not a valid ingress port");
                }
            }
            case VLAN_VID -> {
                if (m == KeyField.VLAN_VID.valueMask && v != 0 && (v & OFPVID_PRESENT) == 0) {
                    throw OfErrorException.badMatch(OFBadMatchCode.BAD_VALUE,
                            "vlan_vid 0x" + Long.toHexString(v) + " lacks OFPVID_PRESENT (0x1000)");
                }
            }
            default -> { }
        }
    }

    private static long exact(Map<OxmField, long[]> present, OxmField f) {
        long[] vm = present.get(f);
        if (vm == null || vm[1] != f.key.valueMask) return -1;
        return vm[0];
    }

    private static boolean ethIs(Map<OxmField, long[]> p, int... types) {
        long t = exact(p, OxmField.ETH_TYPE);
        for (int x : types) if (t == x) return true;
        return false;
    }

    private static boolean protoIs(Map<OxmField, long[]> p, int proto) {
        return exact(p, OxmField.IP_PROTO) == proto;
    }

    private static boolean prerequisiteMet(OxmField.Prerequisite pre, Map<OxmField, long[]> p) {
        return switch (pre) {
            case NONE -> true;
            case IN_PORT -> p.containsKey(OxmField.IN_PORT);
            case VLAN_TAGGED -> {
                long[] vid = p.get(OxmField.VLAN_VID);
                yield vid != null && (vid[0] & OFPVID_PRESENT) != 0;
            }
            case ETH_IP -> ethIs(p, 0x0800, 0x86dd);
            case ETH_IPV4 -> ethIs(p, 0x0800);
            case ETH_IPV6 -> ethIs(p, 0x86dd);
            case ETH_ARP -> ethIs(p, 0x0806);
            case ETH_MPLS -> ethIs(p, 0x8847, 0x8848);
            case PROTO_TCP -> protoIs(p, 6);
            case PROTO_UDP -> protoIs(p, 17);
            case PROTO_SCTP -> protoIs(p, 132);
            case PROTO_ICMP -> protoIs(p, 1);
            case PROTO_ICMPV6 -> protoIs(p, 58);
            case ND -> {
                long t = exact(p, OxmField.ICMPV6_TYPE);
                yield t == 135 || t == 136;
            }
            case ND_SOLICIT -> exact(p, OxmField.ICMPV6_TYPE) == 135;
            case ND_ADVERT -> exact(p, OxmField.ICMPV6_TYPE) == 136;
        };
    }

    private static String describe(OxmField.Prerequisite pre) {
        return switch (pre) {
            case NONE -> "nothing";
            case IN_PORT -> "in_port";
            case VLAN_TAGGED -> "vlan_vid with OFPVID_PRESENT";
            case ETH_IP -> "eth_type=0x0800 or 0x86dd";
            case ETH_IPV4 -> "eth_type=0x0800";
            case ETH_IPV6 -> "eth_type=0x86dd";
            case ETH_ARP -> "eth_type=0x0806";
            case ETH_MPLS -> "eth_type=0x8847 or 0x8848";
            case PROTO_TCP -> "ip_proto=6";
            case PROTO_UDP -> "ip_proto=17";
            case PROTO_SCTP -> "ip_proto=132";
            case PROTO_ICMP -> "ip_proto=1";
            case PROTO_ICMPV6 -> "ip_proto=58";
            case ND -> "icmpv6_type=135 or 136";
            case ND_SOLICIT -> "icmpv6_type=135";
            case ND_ADVERT -> "icmpv6_type=136";
        };
    }

    /** Whether a set-field of this Loxi field is consistent with the match (its prerequisite holds), OVS-style. */
    static boolean setFieldConsistent(OxmField f, CompiledMatch match) {
        // Fields a push action may create (VLAN, MPLS) are accepted regardless of the match.
        if (f.prerequisite == OxmField.Prerequisite.VLAN_TAGGED || f.prerequisite == OxmField.Prerequisite.ETH_MPLS
                || f == OxmField.VLAN_VID) {
            return true;
        }
        Map<OxmField, long[]> p = new EnumMap<>(OxmField.class);
        long[] v = match.value(), m = match.mask();
        // Rebuild exact eth_type / ip_proto / icmpv6_type from the words: all prerequisites use only those.
        if (KeyField.ETH_TYPE.get(m) == KeyField.ETH_TYPE.valueMask) p.put(OxmField.ETH_TYPE, new long[] {KeyField.ETH_TYPE.get(v), KeyField.ETH_TYPE.valueMask});
        if (KeyField.IP_PROTO.get(m) == KeyField.IP_PROTO.valueMask) p.put(OxmField.IP_PROTO, new long[] {KeyField.IP_PROTO.get(v), KeyField.IP_PROTO.valueMask});
        if (KeyField.TP_SRC.get(m) == KeyField.TP_SRC.valueMask) p.put(OxmField.ICMPV6_TYPE, new long[] {KeyField.TP_SRC.get(v), KeyField.TP_SRC.valueMask});
        if (KeyField.IN_PORT.get(m) != 0) p.put(OxmField.IN_PORT, new long[] {0, 0});
        return prerequisiteMet(f.prerequisite, p);
    }
}
