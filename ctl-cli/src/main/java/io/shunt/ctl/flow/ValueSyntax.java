package io.shunt.ctl.flow;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The scalar values of ovs-ofctl syntax: integers in decimal or {@code 0x}
 * hexadecimal, Ethernet, IPv4 and IPv6 addresses, each optionally with a
 * {@code /mask} (a prefix length for IP), and OpenFlow port names. Every
 * error names the field and what was expected, at the value's column.
 */
final class ValueSyntax {

    /** OpenFlow's reserved ports, by the names ovs-ofctl uses for them (case-insensitive). */
    static final Map<String, OFPort> RESERVED_PORTS = Map.of(
            "IN_PORT", OFPort.IN_PORT,
            "TABLE", OFPort.TABLE,
            "NORMAL", OFPort.NORMAL,
            "FLOOD", OFPort.FLOOD,
            "ALL", OFPort.ALL,
            "CONTROLLER", OFPort.CONTROLLER,
            "LOCAL", OFPort.LOCAL,
            "ANY", OFPort.ANY,
            "NONE", OFPort.ANY);

    private ValueSyntax() {
    }

    /** An unsigned integer of at most {@code bits} bits. */
    static long unsigned(String text, int bits, String field, int column) throws FlowSyntaxException {
        if (text == null || text.isEmpty()) {
            throw new FlowSyntaxException("'" + field + "' needs a value", column);
        }
        BigInteger value;
        try {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                value = new BigInteger(text.substring(2), 16);
            } else {
                value = new BigInteger(text, 10);
            }
        } catch (NumberFormatException e) {
            throw new FlowSyntaxException("bad value '" + text + "' for " + field + ": expected a "
                    + (bits == 1 ? "0 or 1" : "number (decimal or 0x hexadecimal)"), column);
        }
        if (value.signum() < 0 || value.bitLength() > bits) {
            throw new FlowSyntaxException("value " + text + " for " + field + " does not fit in " + bits + " bits (0.."
                    + BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE) + ")", column);
        }
        return value.longValue();
    }

    /** An integer of at most {@code bits} bits with an optional {@code /mask}; mask -1 when absent. */
    static long[] unsignedMasked(String text, int bits, String field, int column) throws FlowSyntaxException {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new long[] {unsigned(text, bits, field, column), -1};
        }
        long value = unsigned(text.substring(0, slash), bits, field, column);
        String maskText = text.substring(slash + 1);
        long mask = maskText.equals("-1") ? (bits == 64 ? -1L : (1L << bits) - 1)
                : unsigned(maskText, bits, field + " mask", column + slash + 1);
        return new long[] {value & mask, mask};
    }

    static MacAddress mac(String text, String field, int column) throws FlowSyntaxException {
        try {
            if (text.length() != 17) {
                throw new IllegalArgumentException();
            }
            return MacAddress.of(text);
        } catch (IllegalArgumentException e) {
            throw new FlowSyntaxException("bad value '" + text + "' for " + field
                    + ": expected an Ethernet address xx:xx:xx:xx:xx:xx", column);
        }
    }

    /** An Ethernet address with an optional {@code /mask}; the mask is null when absent. */
    static MacAddress[] macMasked(String text, String field, int column) throws FlowSyntaxException {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new MacAddress[] {mac(text, field, column), null};
        }
        MacAddress value = mac(text.substring(0, slash), field, column);
        MacAddress mask = mac(text.substring(slash + 1), field + " mask", column + slash + 1);
        return new MacAddress[] {MacAddress.of(value.getLong() & mask.getLong()), mask};
    }

    static IPv4Address ipv4(String text, String field, int column) throws FlowSyntaxException {
        String[] parts = text.split("\\.", -1);
        boolean ok = parts.length == 4;
        for (int i = 0; ok && i < 4; i++) {
            ok = !parts[i].isEmpty() && parts[i].length() <= 3 && parts[i].chars().allMatch(Character::isDigit)
                    && Integer.parseInt(parts[i]) <= 255;
        }
        if (!ok) {
            throw new FlowSyntaxException("bad value '" + text + "' for " + field + ": expected an IPv4 address a.b.c.d",
                    column);
        }
        return IPv4Address.of(text);
    }

    /** An IPv4 address with an optional {@code /prefix} or {@code /a.b.c.d} mask; mask null when absent. */
    static IPv4Address[] ipv4Masked(String text, String field, int column) throws FlowSyntaxException {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new IPv4Address[] {ipv4(text, field, column), null};
        }
        IPv4Address value = ipv4(text.substring(0, slash), field, column);
        String maskText = text.substring(slash + 1);
        IPv4Address mask;
        if (maskText.contains(".")) {
            mask = ipv4(maskText, field + " mask", column + slash + 1);
        } else {
            int prefix = (int) unsigned(maskText, 6, field + " prefix length", column + slash + 1);
            if (prefix > 32) {
                throw new FlowSyntaxException("prefix length " + prefix + " for " + field + " is longer than 32",
                        column + slash + 1);
            }
            mask = IPv4Address.ofCidrMaskLength(prefix);
        }
        return new IPv4Address[] {value.and(mask), mask};
    }

    static IPv6Address ipv6(String text, String field, int column) throws FlowSyntaxException {
        if (!text.contains(":") || !text.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == ':' || ch == '.')) {
            throw new FlowSyntaxException("bad value '" + text + "' for " + field + ": expected an IPv6 address", column);
        }
        try {
            return IPv6Address.of(text);
        } catch (IllegalArgumentException e) {
            throw new FlowSyntaxException("bad value '" + text + "' for " + field + ": expected an IPv6 address", column);
        }
    }

    /** An IPv6 address with an optional {@code /prefix} or address mask; mask null when absent. */
    static IPv6Address[] ipv6Masked(String text, String field, int column) throws FlowSyntaxException {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new IPv6Address[] {ipv6(text, field, column), null};
        }
        IPv6Address value = ipv6(text.substring(0, slash), field, column);
        String maskText = text.substring(slash + 1);
        IPv6Address mask;
        if (maskText.contains(":")) {
            mask = ipv6(maskText, field + " mask", column + slash + 1);
        } else {
            int prefix = (int) unsigned(maskText, 8, field + " prefix length", column + slash + 1);
            if (prefix > 128) {
                throw new FlowSyntaxException("prefix length " + prefix + " for " + field + " is longer than 128",
                        column + slash + 1);
            }
            mask = IPv6Address.ofCidrMaskLength(prefix);
        }
        return new IPv6Address[] {value.and(mask), mask};
    }

    /** A port: a number, or a reserved name (LOCAL, CONTROLLER, IN_PORT, ...). */
    static OFPort port(String text, String field, int column) throws FlowSyntaxException {
        if (text == null || text.isEmpty()) {
            throw new FlowSyntaxException("'" + field + "' needs a port", column);
        }
        OFPort reserved = RESERVED_PORTS.get(text.toUpperCase(Locale.ROOT));
        if (reserved != null) {
            return reserved;
        }
        if (!Character.isDigit(text.charAt(0))) {
            throw new FlowSyntaxException("bad port '" + text + "' for " + field
                    + ": expected a port number or one of IN_PORT, TABLE, NORMAL, FLOOD, ALL, CONTROLLER, LOCAL, ANY",
                    column);
        }
        long n = unsigned(text, 32, field, column);
        return OFPort.ofInt((int) n);
    }
}
