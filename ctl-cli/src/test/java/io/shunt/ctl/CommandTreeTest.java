package io.shunt.ctl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree as a user sees it: global options and --format on every command. */
class CommandTreeTest {

    private static final List<String> READ_COMMANDS = List.of("list-br", "list-ports", "get-controller", "get-fail-mode", "get-trust-domain", "show",
            "links", "pmd-stats", "counters", "version", "dump-flows", "dump-ports", "dump-tables", "dump-groups", "dump-meters");

    @Test
    void everyReadCommandTakesFormatJsonAndEveryCommandTheGlobalOptions() {
        CommandLine tree = new CommandLine(new ShuntCtl());
        for (var entry : tree.getSubcommands().entrySet()) {
            var spec = entry.getValue().getCommandSpec();
            for (String option : List.of("--run-dir", "--timeout", "--format", "--help")) {
                assertTrue(spec.findOption(option) != null, entry.getKey() + " takes " + option);
            }
        }
        for (String command : READ_COMMANDS) {
            assertTrue(tree.getSubcommands().containsKey(command), command);
        }
    }
}
