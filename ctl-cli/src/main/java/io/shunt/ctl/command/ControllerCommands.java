package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.ctl.CtlFailure;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** set-controller, get-controller, del-controller, set-fail-mode, get-fail-mode, as in ovs-vsctl. */
public final class ControllerCommands {

    /** What vswitchd accepts, in ovs-vsctl's spelling: tcp:HOST:PORT, ptcp:PORT[:IP], unix:PATH, punix:PATH. */
    private static final Pattern TARGET = Pattern.compile("tcp:([^:\\[\\]]+|\\[[0-9a-fA-F:]+]):\\d+|ptcp:\\d+(:.+)?|p?unix:/.+");

    public enum FailModeName { standalone, secure }

    private ControllerCommands() {
    }

    @Command(name = "set-controller", mixinStandardHelpOptions = true,
            description = {"Set the OpenFlow controllers of a bridge (replacing the previous ones):",
                    "tcp:HOST:PORT or unix:PATH to connect to a controller, ptcp:PORT[:IP] or punix:PATH to listen for one."},
            footer = {"", "Examples:", "  shunt-ctl set-controller br0 tcp:192.0.2.10:6653",
                    "  shunt-ctl set-controller br0 tcp:192.0.2.10:6653 ptcp:6634:127.0.0.1"})
    public static final class SetController extends CtlCommand {
        @Mixin
        BridgeArgument bridge;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TARGET")
        List<String> targets;

        @Override
        void run() throws CtlFailure {
            ObjectNode params = bridge.params();
            ArrayNode list = params.putArray("targets");
            for (String target : targets) {
                if (!TARGET.matcher(target).matches()) {
                    throw usage("set-controller: '" + target + "' is not tcp:HOST:PORT, ptcp:PORT[:IP], unix:PATH or punix:PATH");
                }
                list.add(target);
            }
            ctl.call("set-controller", params);
        }
    }

    @Command(name = "get-controller", mixinStandardHelpOptions = true,
            description = "Print the controllers of a bridge, one per line.",
            footer = {"", "Examples:", "  shunt-ctl get-controller br0"})
    public static final class GetController extends BridgeReadCommand {
        public GetController() {
            super("get-controller");
        }
    }

    @Command(name = "del-controller", mixinStandardHelpOptions = true,
            description = "Remove all controllers of a bridge.",
            footer = {"", "Examples:", "  shunt-ctl del-controller br0"})
    public static final class DelController extends CtlCommand {
        @Mixin
        BridgeArgument bridge;

        @Override
        void run() throws CtlFailure {
            ctl.call("del-controller", bridge.params());
        }
    }

    @Command(name = "set-fail-mode", mixinStandardHelpOptions = true,
            description = {"Set what a bridge does without a controller: standalone (forward as a learning switch)",
                    "or secure (forward only by its flows)."},
            footer = {"", "Examples:", "  shunt-ctl set-fail-mode br0 secure"})
    public static final class SetFailMode extends CtlCommand {
        @Mixin
        BridgeArgument bridge;

        @Parameters(index = "1", paramLabel = "MODE", description = "standalone or secure")
        FailModeName mode;

        @Override
        void run() throws CtlFailure {
            ctl.call("set-fail-mode", bridge.params().put("mode", mode.name()));
        }
    }

    @Command(name = "get-fail-mode", mixinStandardHelpOptions = true,
            description = "Print the fail mode of a bridge.",
            footer = {"", "Examples:", "  shunt-ctl get-fail-mode br0"})
    public static final class GetFailMode extends BridgeReadCommand {
        public GetFailMode() {
            super("get-fail-mode");
        }
    }
}
