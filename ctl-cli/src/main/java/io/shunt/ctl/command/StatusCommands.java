package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.CtlVersion;
import io.shunt.ctl.output.LinkTable;
import io.shunt.ctl.output.Output;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** links, pmd-stats, counters, version: what vswitchd is doing now. */
public final class StatusCommands {

    private StatusCommands() {
    }

    @Command(name = "links", mixinStandardHelpOptions = true,
            description = {"Show the direct links (of BRIDGE, or of every bridge): the ports each joins (A⇒B one",
                    "direction, A⇔B a pair, then a row per direction), its state (NORMAL, PLUGGING, TX_SWITCHED,",
                    "FENCED, DIRECT, REVERTING, or what the link manager reports), age, packets and bytes that",
                    "went over it, and its last state transition. With --watch, refresh every --interval seconds",
                    "until interrupted (or --count times); with --format json, one JSON document per refresh,",
                    "on one line."},
            footer = {"", "Examples:", "  shunt-ctl links", "  shunt-ctl links br0", "  shunt-ctl links --watch --interval 2",
                    "  shunt-ctl links --format json", "  shunt-ctl links --watch --format json --count 10 > links.ndjson"})
    public static final class Links extends CtlCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "BRIDGE", description = "only this bridge's links")
        String bridge;

        @Option(names = "--watch", description = "refresh until interrupted")
        boolean watch;

        @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
                description = "with --watch: seconds between refreshes (default: ${DEFAULT-VALUE})")
        double intervalSeconds;

        @Option(names = "--count", paramLabel = "N", description = "with --watch: stop after N refreshes")
        Integer count;

        @Override
        void run() throws CtlFailure {
            if (!watch) {
                show(false);
                return;
            }
            if (!(intervalSeconds >= 0.01) || intervalSeconds > 86_400) {
                throw usage("links: --interval must be between 0.01 and 86400 seconds, not " + intervalSeconds);
            }
            if (count != null && count < 1) {
                throw usage("links: --count must be at least 1, not " + count);
            }
            // Since JDK 22 System.console() exists without a terminal too; isTerminal() tells.
            boolean terminal = System.console() != null && System.console().isTerminal();
            long intervalNanos = (long) (intervalSeconds * 1e9);
            long next = System.nanoTime();
            for (int i = 0; count == null || i < count; i++) {
                if (i > 0) {
                    // Refresh on a fixed schedule: a slow answer shortens the pause, it does not shift every later refresh.
                    next += intervalNanos;
                    try {
                        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                show(terminal);
            }
        }

        private void show(boolean clearScreen) throws CtlFailure {
            ObjectNode params = bridge == null ? Params.of() : Params.bridge(bridge);
            JsonNode result = ctl.call("links", params);
            Output output = ctl.output();
            if (output.json()) {
                if (watch) {
                    output.printJsonLine(result);
                } else {
                    output.printJson(result);
                }
                return;
            }
            PrintWriter out = output.writer();
            if (clearScreen) {
                out.print("\033[H\033[2J");
            }
            if (watch) {
                out.println("Direct links" + (bridge == null ? "" : " of " + bridge) + " at " + Instant.now()
                        + " (every " + intervalSeconds + " s)");
            }
            LinkTable.print(result, LinkTable.needsPortNames(result) ? portNames() : LinkTable.PortNames.NONE, out);
            out.flush();
        }

        /** The configuration's port names, for links that name their ports only by number. */
        private LinkTable.PortNames portNames() throws CtlFailure {
            JsonNode config = ctl.call("show", Params.of());
            return (bridgeName, ofport) -> {
                for (JsonNode b : config.path("bridges")) {
                    if (b.path("name").asText().equals(bridgeName)) {
                        for (JsonNode p : b.path("ports")) {
                            if (p.path("ofport").asInt() == ofport) {
                                return p.path("name").asText();
                            }
                        }
                    }
                }
                return null;
            };
        }
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
