package io.shunt.ctl.flow;

import org.projectfloodlight.openflow.types.IPv6Address;

/**
 * An IPv6 address in the RFC 5952 text form that inet_ntop (and so
 * ovs-ofctl) prints: lower case, no leading zeros, the longest run of two or
 * more zero groups (the first such run on a tie) written as {@code ::}.
 */
final class Ipv6Text {

    private Ipv6Text() {
    }

    static String format(IPv6Address address) {
        byte[] b = address.getBytes();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        if (bestLength < 2) {
            bestStart = -1;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!s.isEmpty() && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }

    /** An address and mask as ovs-ofctl prints them: "addr", "addr/prefix" for a CIDR mask, else "addr/mask". */
    static String formatMasked(IPv6Address value, IPv6Address mask) {
        if (mask == null || mask.equals(IPv6Address.NO_MASK)) {
            return format(value);
        }
        if (mask.isCidrMask()) {
            return format(value) + "/" + mask.asCidrMaskLength();
        }
        return format(value) + "/" + format(mask);
    }
}
