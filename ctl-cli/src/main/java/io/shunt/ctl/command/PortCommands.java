package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.ctl.CtlFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** add-port, del-port, list-ports, as in ovs-vsctl. */
public final class PortCommands {

    static final Set<String> PORT_TYPES = Set.of("dpdkr", "afpacket", "internal", "patch");

    private PortCommands() {
    }

    @Command(name = "add-port", mixinStandardHelpOptions = true,
            description = {"Add a port to a bridge. Settings after the names (ovs-vsctl style, optionally after '--'):",
                    "  type=dpdkr|afpacket|internal|patch   (default dpdkr)",
                    "  options:KEY=VALUE                    type-specific option, repeatable",
                    "  ofport_request=N                     ask for OpenFlow port number N",
                    "An internal port named like its bridge is the bridge's LOCAL port (as in Open vSwitch)."},
            footer = {"", "Examples:",
                    "  shunt-ctl add-port br0 vnf1",
                    "  shunt-ctl add-port br0 eth1 -- type=afpacket",
                    "  shunt-ctl add-port br0 br0 -- type=internal",
                    "  shunt-ctl add-port br0 patch-a -- type=patch options:peer=patch-b ofport_request=10"})
    public static final class AddPort extends CtlCommand {
        @Mixin
        BridgeArgument bridge;

        @Parameters(index = "1", paramLabel = "PORT")
        String port;

        @Parameters(index = "2..*", paramLabel = "SETTING", description = "type=..., options:KEY=VALUE, ofport_request=N")
        List<String> settings = new ArrayList<>();

        @Override
        void run() throws CtlFailure {
            ObjectNode params = bridge.params().put("port", port);
            ObjectNode options = params.putObject("options");
            for (String setting : settings) {
                int eq = setting.indexOf('=');
                if (eq <= 0) {
                    throw usage("add-port: setting '" + setting + "' is not KEY=VALUE");
                }
                String key = setting.substring(0, eq);
                String value = setting.substring(eq + 1);
                if (key.equals("type")) {
                    if (!PORT_TYPES.contains(value)) {
                        throw usage("add-port: unknown port type '" + value + "' (expected dpdkr, afpacket, internal or patch)");
                    }
                    params.put("type", value);
                } else if (key.startsWith("options:") && key.length() > "options:".length()) {
                    options.put(key.substring("options:".length()), value);
                } else if (key.equals("ofport_request")) {
                    int ofport;
                    try {
                        ofport = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        ofport = -1;
                    }
                    if (ofport < 1 || ofport > 0xfeff) {
                        throw usage("add-port: ofport_request=" + value + " is not a port number in 1..65279");
                    }
                    params.put("ofport", ofport);
                } else {
                    throw usage("add-port: unknown setting '" + key + "' (expected type=, options:KEY= or ofport_request=)");
                }
            }
            JsonNode added = ctl.call("add-port", params);
            if (ctl.output().json()) {
                ctl.output().printJson(added);
            }
        }
    }

    @Command(name = "del-port", mixinStandardHelpOptions = true,
            description = "Delete a port (from BRIDGE, or from whichever bridge has it).",
            footer = {"", "Examples:", "  shunt-ctl del-port br0 vnf1", "  shunt-ctl del-port vnf1"})
    public static final class DelPort extends CtlCommand {
        @Parameters(arity = "1..2", paramLabel = "[BRIDGE] PORT")
        List<String> names;

        @Override
        void run() throws CtlFailure {
            ObjectNode params = Params.of();
            if (names.size() == 2) {
                params.put("bridge", names.get(0));
            }
            params.put("port", names.getLast());
            ctl.call("del-port", params);
        }
    }

    @Command(name = "list-ports", mixinStandardHelpOptions = true,
            description = "List the ports of a bridge, one per line.",
            footer = {"", "Examples:", "  shunt-ctl list-ports br0", "  shunt-ctl list-ports br0 --format json"})
    public static final class ListPorts extends BridgeReadCommand {
        public ListPorts() {
            super("list-ports");
        }
    }
}
