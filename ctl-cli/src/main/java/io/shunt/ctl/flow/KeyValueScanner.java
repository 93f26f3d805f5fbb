package io.shunt.ctl.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits ovs-ofctl style text into {@code key=value} items, as
 * ovs-ofctl(8) describes them: items separated by commas or white space, a
 * value running to the next separator outside parentheses, and keys ending
 * at {@code =}, or (for actions) at {@code :} or {@code (}. Each item keeps
 * the column where it starts so that errors can point at it.
 */
final class KeyValueScanner {

    /** One item: {@code key}, its value (null when the item is a bare word), and where each starts (1-based). */
    record Item(String key, String value, int keyColumn, int valueColumn, char separator) {
        String text() {
            if (value == null) {
                return key;
            }
            return separator == '(' ? key + "(" + value + ")" : key + separator + value;
        }
    }

    private KeyValueScanner() {
    }

    /**
     * Scans {@code text}, whose first character is at column {@code base}.
     *
     * @param keyEnds the characters that may end a key ("=" for match fields, "=:(" for actions)
     */
    static List<Item> scan(String text, int base, String keyEnds) throws FlowSyntaxException {
        List<Item> items = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int keyStart = i;
            while (i < n && keyEnds.indexOf(text.charAt(i)) < 0 && text.charAt(i) != ','
                    && !Character.isWhitespace(text.charAt(i))) {
                if (text.charAt(i) == ')') {
                    throw new FlowSyntaxException("unbalanced ')'", base + i);
                }
                i++;
            }
            String key = text.substring(keyStart, i);
            if (i >= n || text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i))) {
                items.add(new Item(key, null, base + keyStart, base + i, ' '));
                continue;
            }
            char separator = text.charAt(i);
            if (key.isEmpty()) {
                throw new FlowSyntaxException("missing name before '" + separator + "'", base + i);
            }
            i++;
            int valueStart = i;
            if (separator == '(') {
                int depth = 1;
                while (i < n && depth > 0) {
                    char d = text.charAt(i);
                    if (d == '(') {
                        depth++;
                    } else if (d == ')') {
                        depth--;
                    }
                    i++;
                }
                if (depth > 0) {
                    throw new FlowSyntaxException("'" + key + "(' is never closed", base + keyStart);
                }
                items.add(new Item(key, text.substring(valueStart, i - 1), base + keyStart, base + valueStart, '('));
                continue;
            }
            int depth = 0;
            while (i < n) {
                char d = text.charAt(i);
                if (d == '(') {
                    depth++;
                } else if (d == ')') {
                    if (depth == 0) {
                        throw new FlowSyntaxException("unbalanced ')'", base + i);
                    }
                    depth--;
                } else if (depth == 0 && (d == ',' || Character.isWhitespace(d))) {
                    break;
                }
                i++;
            }
            if (depth > 0) {
                throw new FlowSyntaxException("unbalanced '(' in the value of '" + key + "'", base + valueStart);
            }
            items.add(new Item(key, text.substring(valueStart, i), base + keyStart, base + valueStart, separator));
        }
        return items;
    }
}
