package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.shunt.ctl.output.Columns;
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
                table(node, out, indent);
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

    /** Prints rows as aligned columns, one per key, in order of first appearance. */
    private static void table(JsonNode rows, PrintWriter out, String indent) {
        List<String> columns = new ArrayList<>();
        for (JsonNode row : rows) {
            row.fieldNames().forEachRemaining(name -> {
                if (!columns.contains(name)) {
                    columns.add(name);
                }
            });
        }
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT).replace('_', ' ')).toList());
        for (JsonNode row : rows) {
            cells.add(columns.stream().map(c -> row.has(c) ? scalar(row.get(c)) : "-").toList());
        }
        Columns.print(cells, out, indent);
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
