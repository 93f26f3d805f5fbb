package io.shunt.datapath.flow;

import static io.shunt.datapath.flow.FlowKeyLayout.*;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keys and megaflows in OVS's flow syntax (as {@code ovs-ofctl} and
 * {@code ovs-appctl dpctl/dump-flows} write them): a protocol shorthand
 * ({@code tcp}, {@code udp6}, {@code arp} ...) then {@code name=value[/mask]} pairs,
 * e.g. {@code udp,in_port=1,dl_dst=00:00:00:00:00:02,nw_src=10.0.0.0/24,tp_dst=53}.
 * For tests, debugging and pmd dumps; never on the packet path.
 */
public final class FlowText {
    /** A key with the mask that says which of its bits matter. */
    public record Match(FlowKey key, FlowMask mask) {
    }

    private static final Map<String, FlowField> ALIASES = Map.ofEntries(
            Map.entry("arp_spa", FlowField.NW_SRC),
            Map.entry("arp_tpa", FlowField.NW_DST),
            Map.entry("arp_op", FlowField.NW_PROTO),
            Map.entry("icmp_type", FlowField.TP_SRC),
            Map.entry("icmp_code", FlowField.TP_DST),
            Map.entry("icmpv6_type", FlowField.TP_SRC),
            Map.entry("icmpv6_code", FlowField.TP_DST),
            Map.entry("nd_sll", FlowField.ARP_SHA),
            Map.entry("nd_tll", FlowField.ARP_THA));

    private static final Map<String, int[]> SHORTHANDS = Map.ofEntries(
            Map.entry("ip", new int[] {EtherType.IPV4, -1}),
            Map.entry("tcp", new int[] {EtherType.IPV4, IpProto.TCP}),
            Map.entry("udp", new int[] {EtherType.IPV4, IpProto.UDP}),
            Map.entry("sctp", new int[] {EtherType.IPV4, IpProto.SCTP}),
            Map.entry("icmp", new int[] {EtherType.IPV4, IpProto.ICMP}),
            Map.entry("ipv6", new int[] {EtherType.IPV6, -1}),
            Map.entry("tcp6", new int[] {EtherType.IPV6, IpProto.TCP}),
            Map.entry("udp6", new int[] {EtherType.IPV6, IpProto.UDP}),
            Map.entry("sctp6", new int[] {EtherType.IPV6, IpProto.SCTP}),
            Map.entry("icmp6", new int[] {EtherType.IPV6, IpProto.ICMPV6}),
            Map.entry("arp", new int[] {EtherType.ARP, -1}),
            Map.entry("rarp", new int[] {EtherType.RARP, -1}),
            Map.entry("mpls", new int[] {EtherType.MPLS_UNICAST, -1}),
            Map.entry("mplsm", new int[] {EtherType.MPLS_MULTICAST, -1}));

    private FlowText() {
    }

    /** Formats the bits of {@code key} that {@code mask} selects; with {@link FlowMask#EXACT}, the whole key. */
    public static String format(FlowKey key, FlowMask mask) {
        List<String> out = new ArrayList<>();
        boolean typeExact = mask.get(FlowField.DL_TYPE) == 0xffff;
        boolean protoExact = mask.get(FlowField.NW_PROTO) == 0xff;
        int type = key.dlType();
        int proto = key.nwProto();
        String shorthand = typeExact ? shorthand(type, protoExact ? proto : -1) : null;
        boolean protoInShorthand = shorthand != null && protoExact && !isPlainL3(shorthand)
                && (type == EtherType.IPV4 || type == EtherType.IPV6);
        if (shorthand != null) {
            out.add(shorthand);
        }
        add(out, key, mask, FlowField.IN_PORT, "in_port");
        if (key.status() != 0) {
            add(out, key, mask, FlowField.PARSE_STATUS, "parse_status");
        }
        long tciMask = mask.get(FlowField.VLAN_TCI);
        long vidMask = tciMask & 0x0fff;
        long pcpMask = tciMask & 0xe000;
        if ((tciMask & VLAN_PRESENT) != 0 && (key.vlanTci() & VLAN_PRESENT) != 0
                && (vidMask == 0 || vidMask == 0x0fff) && (pcpMask == 0 || pcpMask == 0xe000)
                && (vidMask | pcpMask) != 0) {
            // "a tag with this VID and/or PCP" prints as OVS prints it (the present bit is implied)
            add(out, key, mask, FlowField.DL_VLAN, "dl_vlan");
            add(out, key, mask, FlowField.DL_VLAN_PCP, "dl_vlan_pcp");
        } else {
            add(out, key, mask, FlowField.VLAN_TCI, "vlan_tci");
        }
        if ((key.vlanTci() & VLAN_PRESENT) != 0 && key.vlanTpid() != EtherType.VLAN_8021Q) {
            // not in OVS's syntax, which assumes 802.1Q for the outer tag
            add(out, key, mask, FlowField.VLAN_TPID, "vlan_tpid");
        }
        if ((key.vlanTci2() & VLAN_PRESENT) != 0) {
            add(out, key, mask, FlowField.VLAN_TCI2, "vlan_tci2");
            add(out, key, mask, FlowField.VLAN_TPID2, "vlan_tpid2");
        }
        add(out, key, mask, FlowField.DL_SRC, "dl_src");
        add(out, key, mask, FlowField.DL_DST, "dl_dst");
        if (shorthand == null) {
            add(out, key, mask, FlowField.DL_TYPE, "dl_type");
        }
        boolean l3Known = typeExact;
        if (!l3Known || type == EtherType.IPV4) {
            add(out, key, mask, FlowField.NW_SRC, "nw_src");
            add(out, key, mask, FlowField.NW_DST, "nw_dst");
        }
        if (!l3Known || type == EtherType.IPV6) {
            addIpv6(out, key, mask, W_IPV6_SRC_HI, "ipv6_src");
            addIpv6(out, key, mask, W_IPV6_DST_HI, "ipv6_dst");
            add(out, key, mask, FlowField.IPV6_LABEL, "ipv6_label");
        }
        if (!l3Known || type == EtherType.IPV4 || type == EtherType.IPV6) {
            if (!protoInShorthand) {
                add(out, key, mask, FlowField.NW_PROTO, "nw_proto");
            }
            add(out, key, mask, FlowField.NW_TOS, "nw_tos");
            add(out, key, mask, FlowField.NW_ECN, "nw_ecn");
            add(out, key, mask, FlowField.NW_TTL, "nw_ttl");
            add(out, key, mask, FlowField.NW_FRAG, "nw_frag");
            boolean icmp = protoExact && (proto == IpProto.ICMP || proto == IpProto.ICMPV6);
            add(out, key, mask, FlowField.TP_SRC, icmp ? "icmp_type" : "tp_src");
            add(out, key, mask, FlowField.TP_DST, icmp ? "icmp_code" : "tp_dst");
            if (!protoExact || proto == IpProto.TCP) {
                add(out, key, mask, FlowField.TCP_FLAGS, "tcp_flags");
            }
            if (!protoExact || proto == IpProto.ICMPV6) {
                // as OVS: a solicitation carries only a source, an advertisement only a target link address
                boolean icmpTypeExact = protoExact && mask.get(FlowField.TP_SRC) == 0xffff;
                int icmpType = key.tpSrc();
                if (!icmpTypeExact || icmpType == 135 || icmpType == 136) {
                    addIpv6(out, key, mask, W_ND_TARGET_HI, "nd_target");
                }
                if (!icmpTypeExact || icmpType == 135) {
                    add(out, key, mask, FlowField.ARP_SHA, "nd_sll");
                }
                if (!icmpTypeExact || icmpType == 136) {
                    add(out, key, mask, FlowField.ARP_THA, "nd_tll");
                }
            }
        } else if (type == EtherType.ARP || type == EtherType.RARP) {
            add(out, key, mask, FlowField.NW_SRC, "arp_spa");
            add(out, key, mask, FlowField.NW_DST, "arp_tpa");
            add(out, key, mask, FlowField.NW_PROTO, "arp_op");
            add(out, key, mask, FlowField.ARP_SHA, "arp_sha");
            add(out, key, mask, FlowField.ARP_THA, "arp_tha");
        } else if (EtherType.isMpls(type)) {
            add(out, key, mask, FlowField.MPLS_LABEL, "mpls_label");
            add(out, key, mask, FlowField.MPLS_TC, "mpls_tc");
            add(out, key, mask, FlowField.MPLS_TTL, "mpls_ttl");
            add(out, key, mask, FlowField.MPLS_BOS, "mpls_bos");
        }
        return String.join(",", out);
    }

    /** Parses the text form into a key and a mask; unknown names and bad values are rejected with the token. */
    public static Match parse(String text) {
        FlowKey key = new FlowKey();
        long[] mask = new long[WORDS];
        for (String raw : text.split(",")) {
            String token = raw.strip();
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            if (eq < 0) {
                int[] sh = SHORTHANDS.get(token);
                if (sh == null) {
                    throw new IllegalArgumentException("unknown protocol shorthand '" + token + "' in flow '" + text + "'");
                }
                setExact(key, mask, FlowField.DL_TYPE, sh[0]);
                if (sh[1] >= 0) {
                    setExact(key, mask, FlowField.NW_PROTO, sh[1]);
                }
                continue;
            }
            String name = token.substring(0, eq);
            String value = token.substring(eq + 1);
            try {
                parseField(key, mask, name, value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad field '" + token + "' in flow '" + text + "': " + e.getMessage(), e);
            }
        }
        FlowMask m = FlowMask.ofWords(mask);
        key.maskInto(m, key);
        return new Match(key, m);
    }

    private static void parseField(FlowKey key, long[] mask, String name, String value) {
        switch (name) {
            case "ipv6_src" -> parseIpv6(key, mask, W_IPV6_SRC_HI, value);
            case "ipv6_dst" -> parseIpv6(key, mask, W_IPV6_DST_HI, value);
            case "nd_target" -> parseIpv6(key, mask, W_ND_TARGET_HI, value);
            case "nw_frag" -> {
                long[] vm = switch (value) {
                    case "no" -> new long[] {0, 3};
                    case "first" -> new long[] {FRAG_ANY, 3};
                    case "later" -> new long[] {FRAG_ANY | FRAG_LATER, 3};
                    case "yes" -> new long[] {FRAG_ANY, FRAG_ANY};
                    case "not_later" -> new long[] {0, FRAG_LATER};
                    default -> throw new IllegalArgumentException("nw_frag is no, first, later, yes or not_later");
                };
                set(key, mask, FlowField.NW_FRAG, vm[0], vm[1]);
            }
            case "dl_vlan", "dl_vlan_pcp" -> {
                // OVS: naming the VID or the PCP also matches "a tag is present"
                parseGeneric(key, mask, name.equals("dl_vlan") ? FlowField.DL_VLAN : FlowField.DL_VLAN_PCP, value);
                key.setWord(W_DL_DST, key.word(W_DL_DST) | VLAN_PRESENT);
                mask[W_DL_DST] |= VLAN_PRESENT;
            }
            case "tcp_flags" -> {
                long[] vm = parseTcpFlags(value);
                if (vm != null) {
                    set(key, mask, FlowField.TCP_FLAGS, vm[0], vm[1]);
                } else {
                    parseGeneric(key, mask, FlowField.TCP_FLAGS, value);
                }
            }
            default -> {
                FlowField f = ALIASES.get(name);
                if (f == null) {
                    f = FlowField.byName(name);
                }
                if (f == null) {
                    throw new IllegalArgumentException("unknown field name");
                }
                parseGeneric(key, mask, f, value);
            }
        }
    }

    private static void parseGeneric(FlowKey key, long[] mask, FlowField f, String value) {
        int slash = value.indexOf('/');
        String v = slash < 0 ? value : value.substring(0, slash);
        String m = slash < 0 ? null : value.substring(slash + 1);
        long bits = parseValue(f, v);
        long maskBits;
        if (m == null) {
            maskBits = f.valueMask();
        } else if (f.kind() == FlowField.Kind.IPV4 && !m.contains(".")) {
            int prefix = Integer.parseInt(m);
            if (prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException("prefix length " + prefix + " not in 0..32");
            }
            maskBits = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        } else {
            maskBits = parseValue(f, m);
        }
        set(key, mask, f, bits, maskBits);
    }

    private static long parseValue(FlowField f, String v) {
        long value = switch (f.kind()) {
            case MAC -> parseMac(v);
            case IPV4 -> {
                byte[] b = InetAddress.ofLiteral(v).getAddress();
                if (b.length != 4) {
                    throw new IllegalArgumentException("not an IPv4 address: " + v);
                }
                yield ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
            }
            case TOS -> parseNumber(v) >>> 2;
            default -> parseNumber(v);
        };
        if ((value & ~f.valueMask()) != 0) {
            throw new IllegalArgumentException("value " + v + " does not fit in " + f.width() + " bits");
        }
        return value;
    }

    private static long parseNumber(String v) {
        return v.startsWith("0x") || v.startsWith("0X") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
    }

    private static long parseMac(String v) {
        String[] parts = v.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + v);
        }
        long mac = 0;
        for (String part : parts) {
            mac = (mac << 8) | Integer.parseInt(part, 16);
        }
        return mac;
    }

    private static void parseIpv6(FlowKey key, long[] mask, int hiWord, String value) {
        int slash = value.indexOf('/');
        byte[] addr = InetAddress.ofLiteral(slash < 0 ? value : value.substring(0, slash)).getAddress();
        if (addr.length != 16) {
            throw new IllegalArgumentException("not an IPv6 address: " + value);
        }
        long hiMask = -1L;
        long loMask = -1L;
        if (slash >= 0) {
            int prefix = Integer.parseInt(value.substring(slash + 1));
            if (prefix < 0 || prefix > 128) {
                throw new IllegalArgumentException("prefix length " + prefix + " not in 0..128");
            }
            hiMask = prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
            loMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        }
        key.setWord(hiWord, bytesToLong(addr, 0) & hiMask);
        key.setWord(hiWord + 1, bytesToLong(addr, 8) & loMask);
        mask[hiWord] = hiMask;
        mask[hiWord + 1] = loMask;
    }

    private static long bytesToLong(byte[] b, int from) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[from + i] & 0xff);
        }
        return v;
    }

    private static void setExact(FlowKey key, long[] mask, FlowField f, long value) {
        set(key, mask, f, value, f.valueMask());
    }

    private static void set(FlowKey key, long[] mask, FlowField f, long value, long maskBits) {
        key.set(f, value);
        mask[f.word()] = f.insert(mask[f.word()], maskBits);
    }

    private static String shorthand(int type, int proto) {
        if (type == EtherType.IPV4 || type == EtherType.IPV6) {
            String suffix = type == EtherType.IPV6 ? "6" : "";
            return switch (proto) {
                case IpProto.TCP -> "tcp" + suffix;
                case IpProto.UDP -> "udp" + suffix;
                case IpProto.SCTP -> "sctp" + suffix;
                case IpProto.ICMP -> type == EtherType.IPV4 ? "icmp" : "ipv6";
                case IpProto.ICMPV6 -> type == EtherType.IPV6 ? "icmp6" : "ip";
                default -> type == EtherType.IPV4 ? "ip" : "ipv6";
            };
        }
        return switch (type) {
            case EtherType.ARP -> "arp";
            case EtherType.RARP -> "rarp";
            case EtherType.MPLS_UNICAST -> "mpls";
            case EtherType.MPLS_MULTICAST -> "mplsm";
            default -> null;
        };
    }

    private static boolean isPlainL3(String shorthand) {
        return shorthand.equals("ip") || shorthand.equals("ipv6");
    }

    private static void add(List<String> out, FlowKey key, FlowMask mask, FlowField f, String name) {
        long m = mask.get(f);
        if (m == 0) {
            return;
        }
        long v = key.get(f) & m;
        String text = formatValue(f, v);
        if (f == FlowField.TCP_FLAGS && m != f.valueMask()) {
            // OVS's form for some flags: +name for a bit that must be set, -name for one that must be clear
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < TCP_FLAG_NAMES.length; i++) {
                if ((m & (1L << i)) != 0) {
                    sb.append((v & (1L << i)) != 0 ? '+' : '-').append(TCP_FLAG_NAMES[i]);
                }
            }
            out.add(name + "=" + sb);
            return;
        }
        if (m != f.valueMask()) {
            if (f.kind() == FlowField.Kind.IPV4 && isPrefix(m, 32)) {
                text += "/" + Long.bitCount(m);
            } else {
                text += "/" + formatValue(f, m);
            }
        }
        out.add(name + "=" + text);
    }

    private static void addIpv6(List<String> out, FlowKey key, FlowMask mask, int hiWord, String name) {
        long mh = mask.word(hiWord);
        long ml = mask.word(hiWord + 1);
        if (mh == 0 && ml == 0) {
            return;
        }
        String text = ipv6(key.word(hiWord) & mh, key.word(hiWord + 1) & ml);
        if (mh != -1L || ml != -1L) {
            int bits = Long.bitCount(mh) + Long.bitCount(ml);
            boolean prefix = (ml == 0 && isPrefix(mh, 64)) || (mh == -1L && isPrefix(ml, 64));
            text += prefix ? "/" + bits : "/" + ipv6(mh, ml);
        }
        out.add(name + "=" + text);
    }

    private static boolean isPrefix(long m, int width) {
        long inverted = ~m & (width == 64 ? -1L : (1L << width) - 1);
        return (inverted & (inverted + 1)) == 0;
    }

    /** TCP flag names in bit order (RFC 9293 3.1, RFC 3168, RFC 3540), as OVS prints them. */
    private static final String[] TCP_FLAG_NAMES = {"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"};

    private static String formatTcpFlags(long v) {
        if (v == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            if ((v & (1L << i)) != 0) {
                if (!sb.isEmpty()) {
                    sb.append('|');
                }
                sb.append(i < TCP_FLAG_NAMES.length ? TCP_FLAG_NAMES[i] : String.format("0x%03x", 1 << i));
            }
        }
        return sb.toString();
    }

    /** Parses "syn|ack", or OVS's "+syn-ack" (set/clear, the mask being the named bits); null if not flag names. */
    private static long[] parseTcpFlags(String v) {
        if (v.isEmpty() || Character.isDigit(v.charAt(0))) {
            return null;
        }
        long value = 0;
        long mask = 0;
        boolean signed = v.charAt(0) == '+' || v.charAt(0) == '-';
        for (String part : signed ? v.split("(?=[+-])") : v.split("\\|")) {
            boolean clear = part.startsWith("-");
            String name = signed ? part.substring(1) : part;
            int bit = java.util.Arrays.asList(TCP_FLAG_NAMES).indexOf(name);
            if (bit < 0) {
                throw new IllegalArgumentException("unknown TCP flag '" + name + "'");
            }
            mask |= 1L << bit;
            if (!clear) {
                value |= 1L << bit;
            }
        }
        return new long[] {value, signed ? mask : FlowField.TCP_FLAGS.valueMask()};
    }

    private static String formatValue(FlowField f, long v) {
        if (f == FlowField.TCP_FLAGS) {
            return formatTcpFlags(v);
        }
        return switch (f.kind()) {
            case DECIMAL -> Long.toString(v);
            case HEX -> String.format("0x%0" + ((f.width() + 3) / 4) + "x", v);
            case MAC -> String.format("%02x:%02x:%02x:%02x:%02x:%02x", (v >>> 40) & 0xff, (v >>> 32) & 0xff,
                    (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
            case IPV4 -> ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
            case TOS -> Long.toString(v << 2);
            case FRAG -> switch ((int) v) {
                case 0 -> "no";
                case FRAG_ANY -> "first";
                case FRAG_ANY | FRAG_LATER -> "later";
                default -> "0x" + Long.toHexString(v);
            };
        };
    }

    private static String ipv6(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        try {
            String s = InetAddress.getByAddress(b).getHostAddress();
            return compressIpv6(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    /** RFC 5952 style: the longest run of zero groups (two or more) becomes "::". */
    private static String compressIpv6(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String left = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String right = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return left + "::" + right;
    }
}
