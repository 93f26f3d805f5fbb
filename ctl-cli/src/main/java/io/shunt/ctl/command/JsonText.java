package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The generic text layout of a management result: an array of flat objects
 * as an aligned table (one column per key, in order of first appearance),
 * an object as "key: value" lines (nested tables indented under their key),
 * a scalar or array of scalars one per line.
 */
final class JsonText {

    private JsonText() {
    }

    static void print(JsonNode node, PrintWriter out) {
        print(node, out, "");
    }

    private static void print(JsonNode node, PrintWriter out, String indent) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isArray()) {
            if (isTable(node)) {
                table(node, List.of(), out, indent);
            } else {
                for (JsonNode item : node) {
                    out.println(indent + scalar(item));
                }
            }
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = field.getValue();
                if (value.isContainerNode() && !value.isEmpty() && !(value.isArray() && !isTable(value))) {
                    out.println(indent + field.getKey() + ":");
                    print(value, out, indent + "  ");
                } else {
                    out.println(indent + field.getKey() + ": " + scalar(value));
                }
            }
            return;
        }
        out.println(indent + scalar(node));
    }

    static boolean isTable(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return false;
        }
        for (JsonNode row : node) {
            if (!row.isObject()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Prints rows as aligned columns: {@code preferred} columns first (in
     * that order, when present), then any others in order of first appearance.
     */
    static void table(JsonNode rows, List<String> preferred, PrintWriter out, String indent) {
        List<String> columns = new ArrayList<>();
        for (String c : preferred) {
            for (JsonNode row : rows) {
                if (row.has(c)) {
                    columns.add(c);
                    break;
                }
            }
        }
        for (JsonNode row : rows) {
            row.fieldNames().forEachRemaining(name -> {
                if (!columns.contains(name)) {
                    columns.add(name);
                }
            });
        }
        List<String[]> cells = new ArrayList<>();
        cells.add(columns.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT).replace('_', ' ')).toArray(String[]::new));
        for (JsonNode row : rows) {
            cells.add(columns.stream().map(c -> row.has(c) ? scalar(row.get(c)) : "-").toArray(String[]::new));
        }
        int[] widths = new int[columns.size()];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : cells) {
            StringBuilder s = new StringBuilder(indent);
            for (int i = 0; i < line.length; i++) {
                s.append(line[i]);
                if (i < line.length - 1) {
                    s.append(" ".repeat(widths[i] - line[i].length() + 2));
                }
            }
            out.println(s);
        }
    }

    static String scalar(JsonNode value) {
        if (value == null || value.isNull()) {
            return "-";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(scalar(v)));
            return String.join(",", items);
        }
        if (value.isObject()) {
            List<String> items = new ArrayList<>();
            value.properties().forEach(e -> items.add(e.getKey() + "=" + scalar(e.getValue())));
            return "{" + String.join(", ", items) + "}";
        }
        return value.asText();
    }
}
