package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.ctl.CtlFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** set-pmd and set-direct-links: switch-wide settings. */
public final class SettingsCommands {

    public enum OnOff { on, off }

    private SettingsCommands() {
    }

    @Command(name = "set-pmd", mixinStandardHelpOptions = true,
            description = {"Change the poll-mode threads' settings; options not given keep their value.",
                    "The idle policy: an idle PMD thread spins SPIN empty polls, then yields for YIELD more,",
                    "then parks PARK microseconds between polls. vswitchd stores the settings at once and",
                    "applies them at its next start."},
            footer = {"", "Examples:", "  shunt-ctl set-pmd --threads 2 --burst 32",
                    "  shunt-ctl set-pmd --spin-polls 0 --yield-polls 100 --park-micros 100"})
    public static final class SetPmd extends CtlCommand {
        @Option(names = "--threads", paramLabel = "N", description = "number of PMD threads (1..64)")
        Integer threads;

        @Option(names = "--burst", paramLabel = "N", description = "packets per ring burst (1..256)")
        Integer burst;

        @Option(names = "--spin-polls", paramLabel = "SPIN")
        Integer spinPolls;

        @Option(names = "--yield-polls", paramLabel = "YIELD")
        Integer yieldPolls;

        @Option(names = "--park-micros", paramLabel = "PARK")
        Integer parkMicros;

        @Override
        void run() throws CtlFailure {
            ObjectNode params = Params.of();
            putIfSet(params, "threads", threads);
            putIfSet(params, "burst", burst);
            putIfSet(params, "spin-polls", spinPolls);
            putIfSet(params, "yield-polls", yieldPolls);
            putIfSet(params, "park-micros", parkMicros);
            if (params.isEmpty()) {
                throw usage("set-pmd: give at least one of --threads, --burst, --spin-polls, --yield-polls, --park-micros");
            }
            JsonNode now = ctl.call("set-pmd", params);
            if (ctl.output().json()) {
                ctl.output().printJson(now);
            }
        }

        private static void putIfSet(ObjectNode params, String name, Integer value) {
            if (value != null) {
                params.put(name, value);
            }
        }
    }

    @Command(name = "set-direct-links", mixinStandardHelpOptions = true,
            description = {"Allow or forbid direct links, switch-wide or for one port. Turning them off reverts",
                    "existing links to the normal path, without loss."},
            footer = {"", "Examples:", "  shunt-ctl set-direct-links off", "  shunt-ctl set-direct-links on --port vnf1"})
    public static final class SetDirectLinks extends CtlCommand {
        @Parameters(index = "0", paramLabel = "on|off")
        OnOff state;

        @Option(names = "--port", paramLabel = "PORT", description = "only this port")
        String port;

        @Override
        void run() throws CtlFailure {
            ObjectNode params = Params.of().put("enabled", state == OnOff.on);
            if (port != null) {
                params.put("port", port);
            }
            ctl.call("set-direct-links", params);
        }
    }
}
