package io.shunt.datapath.flow;

import static io.shunt.datapath.flow.FlowKeyLayout.*;
import static io.shunt.datapath.flow.NetworkOrder.U16;
import static io.shunt.datapath.flow.NetworkOrder.U32;
import static io.shunt.datapath.flow.NetworkOrder.U64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Parses an Ethernet frame once into a {@link FlowKey}: L2 (802.3/LLC-SNAP as OVS
 * does, up to two VLAN tags), MPLS (top label), ARP/RARP, IPv4, IPv6 with its extension
 * headers, TCP, UDP, SCTP, ICMPv4, ICMPv6 with neighbour discovery.
 *
 * <p>Every length in the frame is untrusted. Each layer first checks that its whole
 * header lies inside the window {@code [offset, offset + length)} (and, for IP, inside
 * the IP total/payload length, which also drops Ethernet padding); a layer that does
 * not fit sets a status bit in the key ({@link FlowKey#L3_TRUNCATED} ...) and parsing
 * stops there, leaving the deeper fields zero. Nothing outside the window is read and
 * no exception is thrown for any frame content.
 *
 * <p>Stateless and allocation-free: one static call per packet.
 */
public final class PacketParser {
    private static final int ETH_HEADER = 14;
    private static final int VLAN_TAG = 4;
    private static final int MAX_VLAN_TAGS = 2;
    /** 802.2 LLC (3 bytes) + SNAP (5 bytes) after an 802.3 length field. */
    private static final int LLC_SNAP = 8;
    private static final int ARP_ETH_IPV4 = 28;
    private static final int IPV4_MIN_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_MIN_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int SCTP_COMMON_HEADER = 12;
    private static final int ICMP_HEADER = 8;
    private static final int ICMPV6_HEADER = 4;
    /** ICMPv6 header, 4 reserved/flag bytes, 16-byte target (RFC 4861 sections 4.3, 4.4). */
    private static final int ND_FIXED = 24;
    private static final int ND_NS = 135;
    private static final int ND_NA = 136;
    private static final int ND_OPT_SLL = 1;
    private static final int ND_OPT_TLL = 2;

    private PacketParser() {
    }

    /**
     * Parses the frame at {@code segment[offset, offset + length)} received on {@code inPort}
     * into {@code key} (every word is overwritten).
     */
    public static void parse(MemorySegment segment, long offset, int length, int inPort, FlowKey key) {
        long[] w = key.words;
        for (int i = 0; i < WORDS; i++) {
            w[i] = 0;
        }
        long meta = (long) inPort << IN_PORT_SHIFT;
        if (offset < 0 || length < 0 || offset > segment.byteSize() - length) {
            w[W_META] = meta | FlowKey.BAD_WINDOW;
            return;
        }
        if (length < ETH_HEADER) {
            w[W_META] = meta | FlowKey.L2_TRUNCATED;
            return;
        }
        long p = offset;
        long end = offset + length;
        // two overlapping 8-byte loads cover both MACs (the frame has at least 14 bytes)
        long dst = segment.get(U64, p) >>> 16;
        long src = segment.get(U64, p + 6) >>> 16;
        p += 12;

        // VLAN tags: the outer one into vlan_tci/vlan_tpid, the next into vlan_tci2/vlan_tpid2.
        // A third tag is left as the dl_type (OVS parses at most two, FLOW_MAX_VLAN_HEADERS).
        long tci1 = 0;
        long tpid1 = 0;
        long vlan2 = 0;
        int type = segment.get(U16, p) & 0xffff;
        int status = 0;
        for (int tags = 0; tags < MAX_VLAN_TAGS && EtherType.isVlan(type); tags++) {
            // a tag is 4 bytes and must be followed by the 2-byte type it encapsulates
            if (end - p < VLAN_TAG + 2) {
                status = FlowKey.L2_TRUNCATED;
                break;
            }
            long tci = (segment.get(U16, p + 2) & 0xffff) | VLAN_PRESENT;
            if (tags == 0) {
                tci1 = tci;
                tpid1 = type;
            } else {
                vlan2 = (tci << VLAN_TCI2_SHIFT) | ((long) type << VLAN_TPID2_SHIFT);
            }
            p += VLAN_TAG;
            type = segment.get(U16, p) & 0xffff;
        }
        p += 2;
        if (status == 0 && type < EtherType.MIN) {
            // 802.3 length field: only an LLC/SNAP header with the Ethernet OUI carries an EtherType
            // (RFC 1042); anything else is dl_type NONE, as in OVS's parse_ethertype().
            int snapType = EtherType.NONE;
            if (type > end - p) {
                status = FlowKey.L2_TRUNCATED; // the 802.3 length counts more bytes than the frame has
            } else if (end - p >= LLC_SNAP
                    && (segment.get(U32, p) & 0xffffffffL) == 0xaaaa0300L
                    && (segment.get(U16, p + 4) & 0xffff) == 0) {
                int t = segment.get(U16, p + 6) & 0xffff;
                if (t >= EtherType.MIN) {
                    snapType = t;
                    p += LLC_SNAP;
                }
            }
            type = snapType;
        }
        w[W_DL_DST] = (dst << MAC_SHIFT) | tci1;
        w[W_DL_SRC] = (src << MAC_SHIFT) | tpid1;
        w[W_VLAN2_MPLS] = vlan2;
        if (status == 0) {
            int remaining = (int) (end - p);
            switch (type) {
                case EtherType.IPV4 -> status = parseIpv4(segment, p, remaining, w);
                case EtherType.IPV6 -> status = parseIpv6(segment, p, remaining, w);
                case EtherType.ARP, EtherType.RARP -> status = parseArp(segment, p, remaining, w);
                case EtherType.MPLS_UNICAST, EtherType.MPLS_MULTICAST -> {
                    if (remaining < 4) {
                        status = FlowKey.L3_TRUNCATED;
                    } else {
                        w[W_VLAN2_MPLS] |= segment.get(U32, p) & 0xffffffffL;
                    }
                }
                default -> {
                }
            }
        }
        w[W_META] = meta | ((long) type << DL_TYPE_SHIFT) | status;
    }

    private static int parseArp(MemorySegment s, long p, int remaining, long[] w) {
        if (remaining < ARP_ETH_IPV4) {
            return FlowKey.L3_TRUNCATED;
        }
        // Only Ethernet/IPv4 ARP has fields in the key (RFC 826): htype 1, ptype 0x0800, hlen 6, plen 4;
        // any other ARP is well-formed but has nothing to match on.
        if ((s.get(U32, p) & 0xffffffffL) != 0x00010800L || (s.get(U16, p + 4) & 0xffff) != 0x0604) {
            return 0;
        }
        int op = s.get(U16, p + 6) & 0xffff;
        long sha = ((s.get(U32, p + 8) & 0xffffffffL) << 16) | (s.get(U16, p + 12) & 0xffff);
        long spa = s.get(U32, p + 14) & 0xffffffffL;
        long tha = ((s.get(U32, p + 18) & 0xffffffffL) << 16) | (s.get(U16, p + 22) & 0xffff);
        long tpa = s.get(U32, p + 24) & 0xffffffffL;
        w[W_NW_ADDR] = (spa << NW_SRC_SHIFT) | tpa;
        // As OVS: only the low 8 bits of the opcode are matchable, larger opcodes read as 0.
        if (op <= 0xff) {
            w[W_NW_ATTR] = (long) op << NW_PROTO_SHIFT;
        }
        w[W_ARP_SHA] = sha << MAC_SHIFT;
        w[W_ARP_THA] = tha << MAC_SHIFT;
        return 0;
    }

    private static int parseIpv4(MemorySegment s, long p, int remaining, long[] w) {
        if (remaining < IPV4_MIN_HEADER) {
            return FlowKey.L3_TRUNCATED;
        }
        // three 8-byte loads read the whole fixed header: version/IHL, TOS, total length, id,
        // flags/fragment offset | TTL, protocol, checksum, source | source, destination
        long first = s.get(U64, p);
        long second = s.get(U64, p + 8);
        int verIhl = (int) (first >>> 56);
        int ihl = (verIhl & 0x0f) * 4;
        int totalLength = (int) (first >>> 32) & 0xffff;
        // RFC 791: IHL counts 32-bit words, at least 5; total length covers header and data and,
        // being shorter than the frame when Ethernet padded it, bounds what follows.
        if ((verIhl >>> 4) != 4 || ihl < IPV4_MIN_HEADER || ihl > remaining
                || totalLength < ihl || totalLength > remaining) {
            return FlowKey.L3_TRUNCATED;
        }
        int tos = (int) (first >>> 48) & 0xff;
        int fragField = (int) first & 0xffff;
        int ttl = (int) (second >>> 56);
        int proto = (int) (second >>> 48) & 0xff;
        long addrs = s.get(U64, p + 12);
        int frag = 0;
        if ((fragField & 0x3fff) != 0) { // MF flag or a non-zero fragment offset
            frag = FRAG_ANY;
            if ((fragField & 0x1fff) != 0) {
                frag |= FRAG_LATER;
            }
        }
        w[W_NW_ADDR] = addrs;
        w[W_NW_ATTR] = ((long) proto << NW_PROTO_SHIFT) | ((long) tos << NW_TOS_SHIFT)
                | ((long) ttl << NW_TTL_SHIFT) | ((long) frag << NW_FRAG_SHIFT);
        if ((frag & FRAG_LATER) != 0) {
            return 0; // later fragments carry no L4 header
        }
        return parseL4(s, p + ihl, totalLength - ihl, proto, false, w);
    }

    private static int parseIpv6(MemorySegment s, long p, int remaining, long[] w) {
        if (remaining < IPV6_HEADER) {
            return FlowKey.L3_TRUNCATED;
        }
        int vcf = s.get(U32, p);
        int payload = s.get(U16, p + 4) & 0xffff;
        if ((vcf >>> 28) != 6 || payload > remaining - IPV6_HEADER) {
            return FlowKey.L3_TRUNCATED;
        }
        int next = s.get(ValueLayout.JAVA_BYTE, p + 6) & 0xff;
        int hopLimit = s.get(ValueLayout.JAVA_BYTE, p + 7) & 0xff;
        w[W_IPV6_SRC_HI] = s.get(U64, p + 8);
        w[W_IPV6_SRC_LO] = s.get(U64, p + 16);
        w[W_IPV6_DST_HI] = s.get(U64, p + 24);
        w[W_IPV6_DST_LO] = s.get(U64, p + 32);
        long attr = ((long) ((vcf >>> 20) & 0xff) << NW_TOS_SHIFT) | ((long) hopLimit << NW_TTL_SHIFT)
                | (vcf & 0xfffff);
        long q = p + IPV6_HEADER;
        int left = payload;
        int frag = 0;
        // RFC 8200 section 4: walk the extension headers; each step consumes at least 8 bytes,
        // so the walk ends within the payload length.
        int status = 0;
        walk:
        while (true) {
            switch (next) {
                case IpProto.HOPOPTS, IpProto.ROUTING, IpProto.DSTOPTS, IpProto.AH -> {
                    if (left < 8) {
                        status = FlowKey.L3_TRUNCATED;
                        break walk;
                    }
                    int lenField = s.get(ValueLayout.JAVA_BYTE, q + 1) & 0xff;
                    // AH counts 4-byte units minus 2 (RFC 4302 2.2), the others 8-byte units minus 1
                    int len = next == IpProto.AH ? (lenField + 2) * 4 : (lenField + 1) * 8;
                    if (len > left) {
                        status = FlowKey.L3_TRUNCATED;
                        break walk;
                    }
                    next = s.get(ValueLayout.JAVA_BYTE, q) & 0xff;
                    q += len;
                    left -= len;
                }
                case IpProto.FRAGMENT -> {
                    if (left < 8) {
                        status = FlowKey.L3_TRUNCATED;
                        break walk;
                    }
                    next = s.get(ValueLayout.JAVA_BYTE, q) & 0xff;
                    int offsetField = s.get(U16, q + 2) & 0xffff;
                    frag = FRAG_ANY;
                    q += 8;
                    left -= 8;
                    if ((offsetField & 0xfff8) != 0) {
                        frag |= FRAG_LATER;
                        break walk;
                    }
                }
                default -> {
                    break walk;
                }
            }
        }
        w[W_NW_ATTR] = attr | ((long) next << NW_PROTO_SHIFT) | ((long) frag << NW_FRAG_SHIFT);
        if (status != 0 || (frag & FRAG_LATER) != 0) {
            return status;
        }
        return parseL4(s, q, left, next, true, w);
    }

    private static int parseL4(MemorySegment s, long p, int left, int proto, boolean v6, long[] w) {
        switch (proto) {
            case IpProto.TCP -> {
                if (left < TCP_MIN_HEADER) {
                    return FlowKey.L4_TRUNCATED;
                }
                int offFlags = s.get(U16, p + 12) & 0xffff;
                int dataOffset = (offFlags >>> 12) * 4;
                if (dataOffset < TCP_MIN_HEADER || dataOffset > left) {
                    return FlowKey.L4_TRUNCATED;
                }
                long ports = s.get(U32, p) & 0xffffffffL;
                w[W_TP] = (ports << TP_DST_SHIFT) | ((long) (offFlags & 0x0fff) << TCP_FLAGS_SHIFT);
                return 0;
            }
            case IpProto.UDP -> {
                return ports(s, p, left, UDP_HEADER, w);
            }
            case IpProto.SCTP -> {
                return ports(s, p, left, SCTP_COMMON_HEADER, w);
            }
            case IpProto.ICMP -> {
                if (v6) {
                    return 0;
                }
                return typeCode(s, p, left, ICMP_HEADER, w);
            }
            case IpProto.ICMPV6 -> {
                if (!v6) {
                    return 0;
                }
                int st = typeCode(s, p, left, ICMPV6_HEADER, w);
                if (st != 0) {
                    return st;
                }
                int type = s.get(ValueLayout.JAVA_BYTE, p) & 0xff;
                int code = s.get(ValueLayout.JAVA_BYTE, p + 1) & 0xff;
                if ((type == ND_NS || type == ND_NA) && code == 0) {
                    return parseNd(s, p, left, w);
                }
                return 0;
            }
            default -> {
                return 0;
            }
        }
    }

    private static int ports(MemorySegment s, long p, int left, int headerLength, long[] w) {
        if (left < headerLength) {
            return FlowKey.L4_TRUNCATED;
        }
        w[W_TP] = (s.get(U32, p) & 0xffffffffL) << TP_DST_SHIFT;
        return 0;
    }

    private static int typeCode(MemorySegment s, long p, int left, int headerLength, long[] w) {
        if (left < headerLength) {
            return FlowKey.L4_TRUNCATED;
        }
        long type = s.get(ValueLayout.JAVA_BYTE, p) & 0xff;
        long code = s.get(ValueLayout.JAVA_BYTE, p + 1) & 0xff;
        w[W_TP] = (type << TP_SRC_SHIFT) | (code << TP_DST_SHIFT);
        return 0;
    }

    /** Neighbour solicitation/advertisement: the target and the link-layer address options (RFC 4861 4.3, 4.4, 4.6.1). */
    private static int parseNd(MemorySegment s, long p, int left, long[] w) {
        if (left < ND_FIXED) {
            return FlowKey.L4_TRUNCATED;
        }
        long targetHi = s.get(U64, p + 8);
        long targetLo = s.get(U64, p + 16);
        long sll = 0;
        long tll = 0;
        long q = p + ND_FIXED;
        int rest = left - ND_FIXED;
        while (rest >= 8) {
            int optType = s.get(ValueLayout.JAVA_BYTE, q) & 0xff;
            int optLen = (s.get(ValueLayout.JAVA_BYTE, q + 1) & 0xff) * 8;
            if (optLen == 0 || optLen > rest) {
                return FlowKey.ND_INVALID; // RFC 4861 4.6: a zero length must make the packet be discarded
            }
            // only 8-byte options carry an Ethernet address; a second one of a kind is invalid (as OVS)
            if (optLen == 8 && (optType == ND_OPT_SLL || optType == ND_OPT_TLL)) {
                long mac = ((s.get(U32, q + 2) & 0xffffffffL) << 16) | (s.get(U16, q + 6) & 0xffff);
                if (optType == ND_OPT_SLL) {
                    if (sll != 0) {
                        return FlowKey.ND_INVALID;
                    }
                    sll = mac;
                } else {
                    if (tll != 0) {
                        return FlowKey.ND_INVALID;
                    }
                    tll = mac;
                }
            }
            q += optLen;
            rest -= optLen;
        }
        w[W_ND_TARGET_HI] = targetHi;
        w[W_ND_TARGET_LO] = targetLo;
        w[W_ARP_SHA] = sll << MAC_SHIFT;
        w[W_ARP_THA] = tll << MAC_SHIFT;
        return 0;
    }
}
