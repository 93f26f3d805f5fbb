package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.ctl.CtlFailure;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** add-br, del-br, list-br: the bridges of vswitchd, as in ovs-vsctl; set-trust-domain, get-trust-domain. */
public final class BridgeCommands {

    private BridgeCommands() {
    }

    @Command(name = "add-br", mixinStandardHelpOptions = true,
            description = {"Create a bridge (with no ports, fail mode standalone, and an OpenFlow listener <run-dir>/BRIDGE.mgmt).",
                    "Settings after the name (ovs-vsctl style, optionally after '--'):",
                    "  trust_domain=DOMAIN   the trust domain (packet pool) to put it in (default: its own name)",
                    "A name that is already another bridge's trust domain needs trust_domain= to join it."},
            footer = {"", "Examples:", "  shunt-ctl add-br br1", "  shunt-ctl add-br --may-exist br1",
                    "  shunt-ctl add-br br2 -- trust_domain=tenant-a"})
    public static final class AddBr extends CtlCommand {
        @Mixin
        BridgeArgument bridge;

        @Option(names = "--may-exist", description = "succeed if the bridge already exists (in the trust domain given, if one is)")
        boolean mayExist;

        @Parameters(index = "1..*", paramLabel = "SETTING", description = "trust_domain=DOMAIN")
        List<String> settings = new ArrayList<>();

        @Override
        void run() throws CtlFailure {
            ObjectNode params = bridge.params().put("may-exist", mayExist);
            for (String setting : settings) {
                int eq = setting.indexOf('=');
                if (eq <= 0) {
                    throw usage("add-br: setting '" + setting + "' is not KEY=VALUE");
                }
                String key = setting.substring(0, eq);
                if (!key.equals("trust_domain")) {
                    throw usage("add-br: unknown setting '" + key + "' (expected trust_domain=)");
                }
                params.put("trust-domain", setting.substring(eq + 1));
            }
            ctl.call("add-br", params);
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

    @Command(name = "set-trust-domain", mixinStandardHelpOptions = true,
            description = {"Put a bridge in a trust domain: bridges naming the same DOMAIN share one packet pool",
                    "(region shunt-pool-DOMAIN), so a patch pair between them passes buffers without copying.",
                    "A domain is a set of bridges (a bridge's ports all use its pool); the default is the bridge's",
                    "own name. Refused while the bridge has ports: delete them first."},
            footer = {"", "Examples:", "  shunt-ctl set-trust-domain br1 tenant-a",
                    "  shunt-ctl set-trust-domain br1 br1    # back to a domain of its own"})
    public static final class SetTrustDomain extends CtlCommand {
        @Mixin
        BridgeArgument bridge;

        @Parameters(index = "1", paramLabel = "DOMAIN",
                description = "the domain's name (1 to 15 characters of [A-Za-z0-9_.-], not starting with '.' or '-')")
        String domain;

        @Override
        void run() throws CtlFailure {
            ctl.call("set-trust-domain", bridge.params().put("domain", domain));
        }
    }

    @Command(name = "get-trust-domain", mixinStandardHelpOptions = true,
            description = "Print the trust domain of a bridge (the bridge's own name unless set).",
            footer = {"", "Examples:", "  shunt-ctl get-trust-domain br1", "  shunt-ctl get-trust-domain br1 --format json"})
    public static final class GetTrustDomain extends BridgeReadCommand {
        public GetTrustDomain() {
            super("get-trust-domain");
        }
    }
}
