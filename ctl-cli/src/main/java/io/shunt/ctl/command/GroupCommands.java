package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.ExitCode;
import io.shunt.ctl.flow.FlowSyntaxException;
import io.shunt.ctl.flow.GroupSyntax;
import io.shunt.ctl.openflow.OpenFlowClient;
import io.shunt.ctl.output.Output;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** add-group, del-groups, dump-groups, in ovs-ofctl syntax. */
public final class GroupCommands {

    private GroupCommands() {
    }

    static OFGroupMod parse(String text, boolean add) throws CtlFailure {
        try {
            return new GroupSyntax(OpenFlowClient.OF13).parse(text, add);
        } catch (FlowSyntaxException e) {
            throw new CtlFailure(ExitCode.USAGE, e.describe("group", text));
        }
    }

    @Command(name = "add-group", mixinStandardHelpOptions = true,
            description = {"Add a group: group_id=N,type=all|select|indirect|ff, then bucket=... for each bucket",
                    "(bucket settings weight:N, watch_port:N, watch_group:N, then its actions)."},
            footer = {"", "Examples:",
                    "  shunt-ctl add-group br0 'group_id=1,type=all,bucket=output:1,bucket=output:2'",
                    "  shunt-ctl add-group br0 'group_id=2,type=select,bucket=weight:10,output:1,bucket=weight:20,output:2'",
                    "  shunt-ctl add-group br0 'group_id=3,type=ff,bucket=watch_port:1,output:1,bucket=watch_port:2,output:2'"})
    public static final class AddGroup extends CtlCommand {
        @Parameters(index = "0", paramLabel = "BRIDGE")
        String bridge;

        @Parameters(index = "1", paramLabel = "GROUP")
        String group;

        @Override
        void run() throws CtlFailure {
            OFGroupMod mod = parse(group, true);
            try (OpenFlowClient client = ctl.openflow(bridge)) {
                client.change(mod, "group '" + group + "'");
            }
        }
    }

    @Command(name = "del-groups", mixinStandardHelpOptions = true,
            description = "Delete one group (group_id=N) or all of them.",
            footer = {"", "Examples:", "  shunt-ctl del-groups br0", "  shunt-ctl del-groups br0 group_id=2"})
    public static final class DelGroups extends CtlCommand {
        @Parameters(index = "0", paramLabel = "BRIDGE")
        String bridge;

        @Parameters(index = "1", arity = "0..1", paramLabel = "GROUP")
        String group;

        @Override
        void run() throws CtlFailure {
            OFGroupMod mod = parse(group == null ? "" : group, false);
            try (OpenFlowClient client = ctl.openflow(bridge)) {
                client.change(mod, "group deletion");
            }
        }
    }

    @Command(name = "dump-groups", mixinStandardHelpOptions = true,
            description = "Print the groups of a bridge, one per line, as ovs-ofctl dump-groups does.",
            footer = {"", "Examples:", "  shunt-ctl dump-groups br0", "  shunt-ctl dump-groups br0 --format json"})
    public static final class DumpGroups extends CtlCommand {
        @Parameters(index = "0", paramLabel = "BRIDGE")
        String bridge;

        @Override
        void run() throws CtlFailure {
            List<OFGroupDescStatsEntry> groups = new ArrayList<>();
            try (OpenFlowClient client = ctl.openflow(bridge)) {
                for (OFGroupDescStatsReply part : client.multipart(client.factory().buildGroupDescStatsRequest().build(),
                        OFGroupDescStatsReply.class, "the group description request")) {
                    groups.addAll(part.getEntries());
                }
            }
            Output output = ctl.output();
            if (output.json()) {
                ArrayNode list = JsonNodeFactory.instance.arrayNode();
                for (OFGroupDescStatsEntry g : groups) {
                    list.addObject().put("group_id", Integer.toUnsignedLong(g.getGroup().getGroupNumber()))
                            .put("text", GroupSyntax.format(g));
                }
                output.printJson(list);
                return;
            }
            for (OFGroupDescStatsEntry g : groups) {
                output.writer().println(" " + GroupSyntax.format(g));
            }
        }
    }
}
