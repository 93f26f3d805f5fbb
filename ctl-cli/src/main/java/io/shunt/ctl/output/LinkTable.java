package io.shunt.ctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text layout of vswitchd's {@code links} result
 * ({@code {"links":[{name, bridge, generation, pair, state, age_ms, directions[],
 * last_transition, error}]}}, the links contract, section 4): one row per link
 * with its ports ({@code A⇒B} for one direction, {@code A⇔B} for a pair),
 * state, age, packets and bytes summed over its directions and its last
 * transition; under a pair, one row per direction with that direction's own
 * state and counters, so that a direction stuck in another phase than its
 * partner shows. An ERROR column appears when a link has one; a transition
 * whose reason repeats the link's error shows without it. States are printed
 * as they come: the link manager may add states shunt-ctl does not know.
 *
 * <p>A link may come without directions (the first link manager listed links
 * waiting to retry so); its ports are then read from its name
 * ({@code shunt-link-<bridge>-<ofportA>-<ofportB>-<gen>}) and named with the
 * bridge's configuration, when the caller has it.
 */
public final class LinkTable {

    /** A link region's name (links contract, section 2): bridge, ofport A, ofport B, generation. */
    private static final Pattern NAME = Pattern.compile("shunt-link-(.+)-(\\d{1,5})-(\\d{1,5})-\\d+");

    static final List<String> HEADER = List.of("LINK", "PORTS", "STATE", "AGE", "PACKETS", "BYTES", "LAST TRANSITION");

    private LinkTable() {
    }

    /** The names of a bridge's ports by OpenFlow port number, from the configuration. */
    @FunctionalInterface
    public interface PortNames {
        /** The port's name, or null when unknown. */
        String name(String bridge, int ofport);

        PortNames NONE = (bridge, ofport) -> null;
    }

    /** Prints the table for {@code result}; with no links, the header line alone. */
    public static void print(JsonNode result, PrintWriter out) {
        print(result, PortNames.NONE, out);
    }

    /** As {@link #print(JsonNode, PrintWriter)}, naming the ports of links that come without directions. */
    public static void print(JsonNode result, PortNames names, PrintWriter out) {
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
            List<String> row = new ArrayList<>(List.of(text(link.path("name")), ports(link, names), text(link.path("state")),
                    age(link.path("age_ms")), Long.toString(packets), Long.toString(bytes), transition(link)));
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

    /** Whether some link of {@code result} comes without directions (its ports are then named from the configuration). */
    public static boolean needsPortNames(JsonNode result) {
        for (JsonNode link : result.isArray() ? result : result.path("links")) {
            if (link.path("directions").isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasError(JsonNode link) {
        JsonNode error = link.path("error");
        return !error.isMissingNode() && !error.isNull() && !error.asText().isEmpty();
    }

    /**
     * {@code A⇔B} for a pair, {@code A⇒B} for one direction: the first direction's ends, or
     * without directions the OpenFlow ports in the link's name, named when {@code names} knows them.
     */
    static String ports(JsonNode link, PortNames names) {
        String arrow = link.path("pair").asBoolean(link.path("directions").size() > 1) ? "⇔" : "⇒";
        JsonNode first = link.path("directions").path(0);
        if (!first.isMissingNode()) {
            return text(first.path("from")) + arrow + text(first.path("to"));
        }
        Matcher m = NAME.matcher(link.path("name").asText(""));
        if (!m.matches()) {
            return "-";
        }
        String bridge = link.path("bridge").asText(m.group(1));
        return port(names, bridge, m.group(2)) + arrow + port(names, bridge, m.group(3));
    }

    private static String port(PortNames names, String bridge, String ofport) {
        String name = names.name(bridge, Integer.parseInt(ofport));
        return name != null ? name : ofport;
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

    /**
     * {@code FENCED->DIRECT at 2026-11-25T13:01:02.123Z (fence reached)}; the reason is left out
     * when it repeats the link's error, which has its own column.
     */
    static String transition(JsonNode link) {
        JsonNode t = link.path("last_transition");
        if (!t.isObject()) {
            return "-";
        }
        StringBuilder s = new StringBuilder(text(t.path("from"))).append("->").append(text(t.path("to")));
        if (t.hasNonNull("at")) {
            s.append(" at ").append(t.path("at").asText());
        }
        String reason = t.path("reason").asText("");
        if (!reason.isEmpty() && !(hasError(link) && reason.contains(link.path("error").asText()))) {
            s.append(" (").append(reason).append(')');
        }
        return s.toString();
    }

    private static String text(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }
}
