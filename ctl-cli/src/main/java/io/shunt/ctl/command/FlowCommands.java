package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.ExitCode;
import io.shunt.ctl.flow.ActionFormatter;
import io.shunt.ctl.flow.FlowCommand;
import io.shunt.ctl.flow.FlowParser;
import io.shunt.ctl.flow.FlowSpec;
import io.shunt.ctl.flow.FlowStatsFormatter;
import io.shunt.ctl.flow.MatchFormatter;
import io.shunt.ctl.openflow.OpenFlowClient;
import io.shunt.ctl.openflow.OpenFlowErrorText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** add-flow, add-flows, mod-flows, del-flows, dump-flows: flows in ovs-ofctl syntax, over OpenFlow 1.3. */
public final class FlowCommands {

    private FlowCommands() {
    }

    static FlowSpec parseFlow(String flow, FlowCommand command) throws CtlFailure {
        return CtlCommand.parse("flow", flow, text -> new FlowParser(OpenFlowClient.OF13).parse(text, command));
    }

    /** A FLOW_MOD command: the flow's text parsed for {@code command}, sent, and confirmed with a barrier. */
    abstract static class FlowModCommand extends OpenFlowCommand {
        void changeFlow(String flow, FlowCommand command) throws CtlFailure {
            change(parseFlow(flow, command).toFlowMod(OpenFlowClient.OF13),
                    flow.isEmpty() ? "deletion of all flows" : "flow '" + flow + "'");
        }
    }

    @Command(name = "add-flow", mixinStandardHelpOptions = true,
            description = {"Add a flow to a bridge, in ovs-ofctl syntax (see ovs-fields(7), ovs-actions(7)).",
                    "BRIDGE is a bridge name (its socket <run-dir>/BRIDGE.mgmt) or unix:PATH."},
            footer = {"", "Examples:",
                    "  shunt-ctl add-flow br0 'table=0,priority=10,in_port=1,actions=output:2'",
                    "  shunt-ctl add-flow br0 'priority=20,tcp,nw_dst=10.0.0.0/8,tp_dst=80,actions=mod_dl_dst:02:00:00:00:00:01,output:3'",
                    "  shunt-ctl add-flow br0 'in_port=2,actions=push_vlan:0x8100,set_field:4196->vlan_vid,goto_table:1'"})
    public static final class AddFlow extends FlowModCommand {
        @Parameters(index = "1", paramLabel = "FLOW")
        String flow;

        @Override
        void run() throws CtlFailure {
            changeFlow(flow, FlowCommand.ADD);
        }
    }

    @Command(name = "add-flows", mixinStandardHelpOptions = true,
            description = {"Add the flows in FILE (one per line; '-' reads standard input). Blank lines and lines",
                    "starting with '#' are skipped; a line may start with add, modify, modify_strict, delete or",
                    "delete_strict. Every line is parsed before anything is sent; then all are sent and",
                    "confirmed with one barrier. Lines the switch refuses are reported by line number; the",
                    "others are applied (as with ovs-ofctl add-flows without --bundle)."},
            footer = {"", "Examples:", "  shunt-ctl add-flows br0 flows.txt", "  shunt-ctl dump-flows br0 | shunt-ctl add-flows br1 -"})
    public static final class AddFlows extends OpenFlowCommand {
        @Parameters(index = "1", paramLabel = "FILE")
        String file;

        @Override
        void run() throws CtlFailure {
            List<String> lines;
            try {
                lines = file.equals("-")
                        ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()
                        : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CtlFailure(ExitCode.USAGE, "add-flows: cannot read " + file + ": " + e.getMessage());
            }
            Map<Integer, OFFlowMod> mods = new LinkedHashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("OFPST_FLOW") || line.startsWith("NXST_FLOW")) {
                    continue;
                }
                FlowCommand command = FlowCommand.ADD;
                String text = line;
                String first = line.split("[\\s,]", 2)[0].toLowerCase(Locale.ROOT);
                FlowCommand prefixed = switch (first) {
                    case "add" -> FlowCommand.ADD;
                    case "modify" -> FlowCommand.MODIFY;
                    case "modify_strict" -> FlowCommand.MODIFY_STRICT;
                    case "delete" -> FlowCommand.DELETE;
                    case "delete_strict" -> FlowCommand.DELETE_STRICT;
                    default -> null;
                };
                if (prefixed != null) {
                    command = prefixed;
                    text = line.substring(first.length()).strip();
                }
                try {
                    mods.put(i + 1, parseFlow(text, command).toFlowMod(OpenFlowClient.OF13));
                } catch (CtlFailure e) {
                    throw usage(file + ":" + (i + 1) + ": " + e.getMessage());
                }
            }
            try (OpenFlowClient client = bridge.connect(ctl)) {
                Map<Long, Integer> lineOfXid = new LinkedHashMap<>();
                for (Map.Entry<Integer, OFFlowMod> e : mods.entrySet()) {
                    lineOfXid.put(client.send(e.getValue()), e.getKey());
                }
                Map<Long, OFErrorMsg> errors = client.barrier();
                if (!errors.isEmpty()) {
                    List<String> refused = new ArrayList<>();
                    for (Map.Entry<Long, OFErrorMsg> e : errors.entrySet()) {
                        Integer line = lineOfXid.get(e.getKey());
                        refused.add((line == null ? "?" : file + ":" + line) + " " + OpenFlowErrorText.describe(e.getValue()));
                    }
                    throw new CtlFailure(ExitCode.OPENFLOW_ERROR, "bridge " + bridge.name + " refused " + errors.size() + " of "
                            + mods.size() + " flows: " + String.join("; ", refused));
                }
            }
        }
    }

    @Command(name = "mod-flows", mixinStandardHelpOptions = true,
            description = {"Change the actions (and timeouts, flags) of the flows that FLOW's match selects",
                    "(with --strict: the one flow with exactly this match and priority). Without table=, table 0."},
            footer = {"", "Examples:", "  shunt-ctl mod-flows br0 'in_port=1,actions=output:3'",
                    "  shunt-ctl mod-flows --strict br0 'priority=10,in_port=1,actions=drop'",
                    "  shunt-ctl mod-flows br0 'cookie=0x10/0xff,actions=normal'"})
    public static final class ModFlows extends FlowModCommand {
        @Mixin
        Strict strict;

        @Parameters(index = "1", paramLabel = "FLOW")
        String flow;

        @Override
        void run() throws CtlFailure {
            changeFlow(flow, strict.strict ? FlowCommand.MODIFY_STRICT : FlowCommand.MODIFY);
        }
    }

    @Command(name = "del-flows", mixinStandardHelpOptions = true,
            description = {"Delete the flows that FLOW's match selects (all flows when FLOW is absent); with",
                    "--strict, the one flow with exactly this match and priority. out_port=, out_group= and",
                    "cookie=VALUE/MASK narrow the selection."},
            footer = {"", "Examples:", "  shunt-ctl del-flows br0", "  shunt-ctl del-flows br0 'in_port=1'",
                    "  shunt-ctl del-flows --strict br0 'priority=10,in_port=1'", "  shunt-ctl del-flows br0 'out_port=2'"})
    public static final class DelFlows extends FlowModCommand {
        @Mixin
        Strict strict;

        @Parameters(index = "1", arity = "0..1", paramLabel = "FLOW")
        String flow = "";

        @Override
        void run() throws CtlFailure {
            changeFlow(flow, strict.strict ? FlowCommand.DELETE_STRICT : FlowCommand.DELETE);
        }
    }

    /** --strict of mod-flows and del-flows (a picocli mixin). */
    static final class Strict {
        @Option(names = "--strict", description = "match the flow exactly, priority included")
        boolean strict;
    }

    @Command(name = "dump-flows", mixinStandardHelpOptions = true,
            description = {"Print the flows of a bridge (those FLOW's match selects, when given), one per line,",
                    "in the format of 'ovs-ofctl -O OpenFlow13 dump-flows' (without its header line)."},
            footer = {"", "Examples:", "  shunt-ctl dump-flows br0", "  shunt-ctl dump-flows br0 'table=1,tcp'",
                    "  shunt-ctl dump-flows --no-stats br0", "  shunt-ctl dump-flows br0 --format json"})
    public static final class DumpFlows extends OpenFlowCommand {
        @Option(names = "--no-stats", description = "leave out duration and counters (as ovs-ofctl --no-stats)")
        boolean noStats;

        @Parameters(index = "1", arity = "0..1", paramLabel = "FLOW")
        String flow = "";

        @Override
        void run() throws CtlFailure {
            FlowSpec filter = parseFlow(flow, FlowCommand.DUMP);
            print(read(filter.toFlowStatsRequest(OpenFlowClient.OF13), OFFlowStatsReply.class, OFFlowStatsReply::getEntries,
                            "the flow statistics request"), DumpFlows::json,
                    (entries, out) -> entries.forEach(e -> out.println(" " + FlowStatsFormatter.format(e, !noStats))));
        }

        private static ObjectNode json(OFFlowStatsEntry e) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("cookie", "0x" + Long.toHexString(e.getCookie().getValue()));
            o.put("duration_sec", e.getDurationSec());
            o.put("duration_nsec", e.getDurationNsec());
            o.put("table", e.getTableId().getValue());
            o.put("priority", e.getPriority());
            o.put("n_packets", e.getPacketCount().getValue());
            o.put("n_bytes", e.getByteCount().getValue());
            o.put("idle_timeout", e.getIdleTimeout());
            o.put("hard_timeout", e.getHardTimeout());
            ArrayNode flags = o.putArray("flags");
            for (OFFlowModFlags f : e.getFlags()) {
                flags.add(f.name().toLowerCase(Locale.ROOT));
            }
            o.put("match", MatchFormatter.format(e.getMatch(), FlowSpec.DEFAULT_PRIORITY));
            o.put("actions", ActionFormatter.formatInstructions(e.getInstructions()));
            return o;
        }
    }
}
