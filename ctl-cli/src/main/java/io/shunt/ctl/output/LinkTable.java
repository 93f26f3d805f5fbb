package io.shunt.ctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The text layout of vswitchd's {@code links} result
 * ({@code {"links":[{name, bridge, generation, pair, state, age_ms, directions[],
 * last_transition, error}]}}, docs/direct-link-protocol.md and the links
 * contract): one row per link with its ports ({@code A⇒B} for one direction,
 * {@code A⇔B} for a pair), state, age, packets and bytes summed over its
 * directions and its last transition; under a pair, one row per direction
 * with that direction's own state and counters, so that a direction stuck
 * in another phase than its partner shows. An ERROR column appears when a
 * link has one. States are printed as they come: the link manager may add
 * states shunt-ctl does not know.
 */
public final class LinkTable {

    static final List<String> HEADER = List.of("LINK", "PORTS", "STATE", "AGE", "PACKETS", "BYTES", "LAST TRANSITION");

    private LinkTable() {
    }

    /** Prints the table for {@code result}; with no links, the header line alone. */
    public static void print(JsonNode result, PrintWriter out) {
        JsonNode links = result.isArray() ? result : result.path("links");
        boolean errors = false;
        for (JsonNode link : links) {
            errors |= hasError(link);
        }
        List<String> header = new ArrayList<>(HEADER);
        if (errors) {
            header.add("ERROR");
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (JsonNode link : links) {
            JsonNode directions = link.path("directions");
            long packets = 0;
            long bytes = 0;
            for (JsonNode d : directions) {
                packets += d.path("packets").asLong();
                bytes += d.path("bytes").asLong();
            }
            List<String> row = new ArrayList<>(List.of(text(link.path("name")), ports(link), text(link.path("state")),
                    age(link.path("age_ms")), Long.toString(packets), Long.toString(bytes),
                    transition(link.path("last_transition"))));
            if (errors) {
                row.add(hasError(link) ? link.path("error").asText() : "-");
            }
            rows.add(row);
            if (directions.size() > 1) {
                for (JsonNode d : directions) {
                    List<String> sub = new ArrayList<>(List.of("  " + text(d.path("from")) + "⇒" + text(d.path("to")), "",
                            text(d.path("state")), "", Long.toString(d.path("packets").asLong()),
                            Long.toString(d.path("bytes").asLong()), ""));
                    if (errors) {
                        sub.add("");
                    }
                    rows.add(sub);
                }
            }
        }
        Columns.print(rows, out);
    }

    private static boolean hasError(JsonNode link) {
        JsonNode error = link.path("error");
        return !error.isMissingNode() && !error.isNull() && !error.asText().isEmpty();
    }

    /** {@code A⇔B} for a pair, {@code A⇒B} for one direction, from the first direction's ends. */
    static String ports(JsonNode link) {
        JsonNode first = link.path("directions").path(0);
        if (first.isMissingNode()) {
            return "-";
        }
        boolean pair = link.path("pair").asBoolean(link.path("directions").size() > 1);
        return text(first.path("from")) + (pair ? "⇔" : "⇒") + text(first.path("to"));
    }

    /** Milliseconds as a person reads an age: 850ms, 12.3s, 5m03s, 2h01m, 3d04h. */
    static String age(JsonNode ageMs) {
        if (!ageMs.isNumber()) {
            return "-";
        }
        long ms = ageMs.asLong();
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(java.util.Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }

    /** {@code FENCED->DIRECT at 2026-11-25T13:01:02.123Z (fence reached)}. */
    static String transition(JsonNode t) {
        if (!t.isObject()) {
            return "-";
        }
        StringBuilder s = new StringBuilder(text(t.path("from"))).append("->").append(text(t.path("to")));
        if (t.hasNonNull("at")) {
            s.append(" at ").append(t.path("at").asText());
        }
        if (t.hasNonNull("reason")) {
            s.append(" (").append(t.path("reason").asText()).append(')');
        }
        return s.toString();
    }

    private static String text(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }
}
