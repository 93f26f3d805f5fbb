package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.CtlVersion;
import io.shunt.ctl.output.Output;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** links, pmd-stats, counters, version: what vswitchd is doing now. */
public final class StatusCommands {

    private StatusCommands() {
    }

    /** The columns of {@code links}, in order; any others the method returns follow. */
    static final List<String> LINK_COLUMNS = List.of("bridge", "link", "ports", "state", "age", "packets", "bytes",
            "drops", "last_transition");

    @Command(name = "links", mixinStandardHelpOptions = true,
            description = {"Show the direct links: the ports they join, their state (NORMAL, PLUGGING, TX_SWITCHED,",
                    "FENCED, DIRECT, REVERTING), age, packet/byte/drop counters and last state transition."},
            footer = {"", "Examples:", "  shunt-ctl links", "  shunt-ctl links --watch 2", "  shunt-ctl links --format json"})
    public static final class Links extends CtlCommand {
        @Option(names = "--watch", arity = "0..1", fallbackValue = "1", paramLabel = "SECONDS",
                description = "refresh every SECONDS (default 1) until interrupted")
        Double watchSeconds;

        @Option(names = "--count", paramLabel = "N", description = "with --watch: stop after N refreshes")
        Integer count;

        @Override
        void run() throws CtlFailure {
            if (watchSeconds == null) {
                showOnce(false);
                return;
            }
            if (!(watchSeconds > 0)) {
                throw usage("links --watch: the refresh interval must be positive");
            }
            boolean terminal = System.console() != null;
            for (int i = 0; count == null || i < count; i++) {
                if (i > 0) {
                    try {
                        Thread.sleep((long) (watchSeconds * 1000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                showOnce(terminal);
            }
        }

        private void showOnce(boolean clearScreen) throws CtlFailure {
            JsonNode result = ctl.call("links", JsonNodeFactory.instance.objectNode());
            Output output = ctl.output();
            if (output.json()) {
                output.printJson(result);
                return;
            }
            PrintWriter out = output.writer();
            if (clearScreen) {
                out.print("\033[H\033[2J");
            }
            if (watchSeconds != null) {
                out.println("Direct links at " + Instant.now() + ":");
            }
            printLinks(result, out);
            out.flush();
        }
    }

    /** Prints the result of the "links" method: {"links": [...]} or a bare array. */
    static void printLinks(JsonNode result, PrintWriter out) {
        JsonNode links = result.isArray() ? result : result.path("links");
        if (!links.isArray() || links.isEmpty()) {
            out.println("no direct links");
            return;
        }
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (JsonNode link : links) {
            ObjectNode row = rows.addObject();
            link.properties().forEach(e -> row.set(e.getKey(), e.getValue()));
            if (link.has("age_seconds") && !link.has("age")) {
                row.remove("age_seconds");
                row.put("age", String.format("%.1fs", link.path("age_seconds").asDouble()));
            }
            JsonNode t = link.path("last_transition");
            if (t.isObject()) {
                String text = t.path("from").asText("?") + "->" + t.path("to").asText("?");
                if (t.has("at")) {
                    text += " at " + t.path("at").asText();
                }
                if (t.has("reason")) {
                    text += " (" + t.path("reason").asText() + ")";
                }
                row.put("last_transition", text);
            }
        }
        JsonText.table(rows, LINK_COLUMNS, out, "");
    }

    @Command(name = "pmd-stats", mixinStandardHelpOptions = true,
            description = "Show per-PMD-thread statistics: ports polled, packets, busy and idle polls, cycles per packet.",
            footer = {"", "Examples:", "  shunt-ctl pmd-stats", "  shunt-ctl pmd-stats --format json"})
    public static final class PmdStats extends ReadCommand {
        public PmdStats() {
            super("pmd-stats");
        }
    }

    @Command(name = "counters", mixinStandardHelpOptions = true,
            description = "Show vswitchd's counters (drops, errors, direct-link events), by name.",
            footer = {"", "Examples:", "  shunt-ctl counters", "  shunt-ctl counters --format json"})
    public static final class Counters extends ReadCommand {
        public Counters() {
            super("counters");
        }
    }

    @Command(name = "version", mixinStandardHelpOptions = true,
            description = "Print the versions of shunt-ctl and of the running shunt-vswitchd.",
            footer = {"", "Examples:", "  shunt-ctl version"})
    public static final class Version extends CtlCommand {
        @Override
        void run() throws CtlFailure {
            Output output = ctl.output();
            JsonNode daemon;
            try {
                daemon = ctl.call("version", JsonNodeFactory.instance.objectNode());
            } catch (CtlFailure e) {
                if (!output.json()) {
                    output.writer().println("shunt-ctl " + CtlVersion.string());
                }
                throw e;
            }
            if (output.json()) {
                ObjectNode both = JsonNodeFactory.instance.objectNode();
                both.put("shunt-ctl", CtlVersion.string());
                both.set("vswitchd", daemon);
                output.printJson(both);
            } else {
                output.writer().println("shunt-ctl " + CtlVersion.string());
                output.writer().println("shunt-vswitchd " + daemon.path("shunt").asText("?") + " (Java "
                        + daemon.path("java").asText("?") + ")");
            }
        }
    }
}
