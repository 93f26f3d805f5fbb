package io.shunt.ctl.command;

import io.shunt.ctl.CtlFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** add-br, del-br, list-br: the bridges of vswitchd, as in ovs-vsctl. */
public final class BridgeCommands {

    private BridgeCommands() {
    }

    @Command(name = "add-br", mixinStandardHelpOptions = true,
            description = "Create a bridge (with no ports, fail mode standalone, and an OpenFlow listener <run-dir>/BRIDGE.mgmt).",
            footer = {"", "Examples:", "  shunt-ctl add-br br1", "  shunt-ctl add-br --may-exist br1"})
    public static final class AddBr extends CtlCommand {
        @Mixin
        BridgeArgument bridge;

        @Option(names = "--may-exist", description = "succeed if the bridge already exists")
        boolean mayExist;

        @Override
        void run() throws CtlFailure {
            ctl.call("add-br", bridge.params().put("may-exist", mayExist));
        }
    }

    @Command(name = "del-br", mixinStandardHelpOptions = true,
            description = "Delete a bridge with all its ports.",
            footer = {"", "Examples:", "  shunt-ctl del-br br1", "  shunt-ctl del-br --if-exists br1"})
    public static final class DelBr extends CtlCommand {
        @Mixin
        BridgeArgument bridge;

        @Option(names = "--if-exists", description = "succeed if there is no such bridge")
        boolean ifExists;

        @Override
        void run() throws CtlFailure {
            ctl.call("del-br", bridge.params().put("if-exists", ifExists));
        }
    }

    @Command(name = "list-br", mixinStandardHelpOptions = true,
            description = "List the bridges, one per line.",
            footer = {"", "Examples:", "  shunt-ctl list-br", "  shunt-ctl list-br --format json"})
    public static final class ListBr extends ReadCommand {
        public ListBr() {
            super("list-br");
        }
    }
}
