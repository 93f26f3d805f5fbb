package io.shunt.ctl.flow;

import java.util.List;

/**
 * The {@code tcp_flags} field as ovs-fields(7) writes it: a number with an
 * optional mask ({@code 0x012/0x0ff}), names joined by {@code |} for an exact
 * match ({@code syn|ack}), or names with {@code +} (set) and {@code -}
 * (clear) for the bits to look at ({@code +syn-ack}).
 */
final class TcpFlagsSyntax {

    /** The 12 bits of the TCP flags field that OpenFlow matches. */
    static final int ALL = 0x0fff;

    /** Flag names by bit, lowest bit first, as Open vSwitch names them. */
    static final List<String> NAMES = List.of("fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns");

    private TcpFlagsSyntax() {
    }

    /** Returns {value, mask}. */
    static int[] parse(String text, int column) throws FlowSyntaxException {
        if (text.startsWith("+") || text.startsWith("-")) {
            int value = 0;
            int mask = 0;
            int i = 0;
            while (i < text.length()) {
                char sign = text.charAt(i);
                if (sign != '+' && sign != '-') {
                    throw new FlowSyntaxException("tcp_flags: expected '+' or '-' before a flag name", column + i);
                }
                int j = i + 1;
                while (j < text.length() && text.charAt(j) != '+' && text.charAt(j) != '-') {
                    j++;
                }
                int bit = bit(text.substring(i + 1, j), column + i + 1);
                if ((mask & bit) != 0) {
                    throw new FlowSyntaxException("tcp_flags: flag '" + text.substring(i + 1, j) + "' given twice", column + i);
                }
                mask |= bit;
                if (sign == '+') {
                    value |= bit;
                }
                i = j;
            }
            return new int[] {value, mask};
        }
        if (!text.isEmpty() && Character.isLetter(text.charAt(0))) {
            int value = 0;
            int offset = 0;
            for (String name : text.split("\\|", -1)) {
                value |= bit(name, column + offset);
                offset += name.length() + 1;
            }
            return new int[] {value, ALL};
        }
        long[] vm = ValueSyntax.unsignedMasked(text, 12, "tcp_flags", column);
        return new int[] {(int) vm[0], vm[1] < 0 ? ALL : (int) vm[1]};
    }

    private static int bit(String name, int column) throws FlowSyntaxException {
        int index = NAMES.indexOf(name);
        if (index < 0) {
            throw new FlowSyntaxException("unknown TCP flag '" + name + "' (expected one of " + String.join(", ", NAMES) + ")",
                    column);
        }
        return 1 << index;
    }

    /** Formats as ovs-ofctl does: names joined by '|' for an exact match, else +name/-name for each masked bit. */
    static String format(int value, int mask) {
        StringBuilder s = new StringBuilder();
        if (mask == ALL) {
            if (value == 0) {
                return "0";
            }
            for (int bit = 0; bit < 12; bit++) {
                if ((value & (1 << bit)) != 0) {
                    if (!s.isEmpty()) {
                        s.append('|');
                    }
                    s.append(bit < NAMES.size() ? NAMES.get(bit) : "0x" + Integer.toHexString(1 << bit));
                }
            }
            return s.toString();
        }
        if (mask == 0) {
            return "0/0";
        }
        for (int bit = 0; bit < 12; bit++) {
            if ((mask & (1 << bit)) != 0) {
                s.append((value & (1 << bit)) != 0 ? '+' : '-');
                s.append(bit < NAMES.size() ? NAMES.get(bit) : "[Unknown]");
            }
        }
        return s.toString();
    }
}
