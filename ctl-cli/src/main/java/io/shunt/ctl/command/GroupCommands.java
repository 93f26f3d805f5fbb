package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.flow.GroupSyntax;
import io.shunt.ctl.openflow.OpenFlowClient;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** add-group, del-groups, dump-groups, in ovs-ofctl syntax. */
public final class GroupCommands {

    private GroupCommands() {
    }

    @Command(name = "add-group", mixinStandardHelpOptions = true,
            description = {"Add a group: group_id=N,type=all|select|indirect|ff, then bucket=... for each bucket",
                    "(bucket settings weight:N, watch_port:N, watch_group:N, then its actions)."},
            footer = {"", "Examples:",
                    "  shunt-ctl add-group br0 'group_id=1,type=all,bucket=output:1,bucket=output:2'",
                    "  shunt-ctl add-group br0 'group_id=2,type=select,bucket=weight:10,output:1,bucket=weight:20,output:2'",
                    "  shunt-ctl add-group br0 'group_id=3,type=ff,bucket=watch_port:1,output:1,bucket=watch_port:2,output:2'"})
    public static final class AddGroup extends OpenFlowCommand {
        @Parameters(index = "1", paramLabel = "GROUP")
        String group;

        @Override
        void run() throws CtlFailure {
            change(parse("group", group, text -> new GroupSyntax(OpenFlowClient.OF13).parse(text, true)), "group '" + group + "'");
        }
    }

    @Command(name = "del-groups", mixinStandardHelpOptions = true,
            description = "Delete one group (group_id=N) or all of them.",
            footer = {"", "Examples:", "  shunt-ctl del-groups br0", "  shunt-ctl del-groups br0 group_id=2"})
    public static final class DelGroups extends OpenFlowCommand {
        @Parameters(index = "1", arity = "0..1", paramLabel = "GROUP")
        String group = "";

        @Override
        void run() throws CtlFailure {
            change(parse("group", group, text -> new GroupSyntax(OpenFlowClient.OF13).parse(text, false)), "group deletion");
        }
    }

    @Command(name = "dump-groups", mixinStandardHelpOptions = true,
            description = "Print the groups of a bridge, one per line, as ovs-ofctl dump-groups does.",
            footer = {"", "Examples:", "  shunt-ctl dump-groups br0", "  shunt-ctl dump-groups br0 --format json"})
    public static final class DumpGroups extends OpenFlowCommand {
        @Override
        void run() throws CtlFailure {
            print(read(OpenFlowClient.OF13.buildGroupDescStatsRequest().build(), OFGroupDescStatsReply.class,
                            OFGroupDescStatsReply::getEntries, "the group description request"),
                    (OFGroupDescStatsEntry g) -> JsonNodeFactory.instance.objectNode()
                            .put("group_id", Integer.toUnsignedLong(g.getGroup().getGroupNumber()))
                            .put("text", GroupSyntax.format(g)),
                    (groups, out) -> groups.forEach(g -> out.println(" " + GroupSyntax.format(g))));
        }
    }
}
