package io.shunt.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree as a user and a shell see it: completion, global options everywhere. */
class CommandTreeTest {

    private static final List<String> READ_COMMANDS = List.of("list-br", "list-ports", "get-controller", "get-fail-mode", "show",
            "links", "pmd-stats", "counters", "version", "dump-flows", "dump-ports", "dump-tables", "dump-groups", "dump-meters");

    @Test
    void theGeneratedBashCompletionKnowsEveryCommandAndOption() {
        StringWriter out = new StringWriter();
        int exit = ShuntCtl.execute(new String[] {"generate-completion"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals(ExitCode.OK, exit);
        String script = out.toString();
        assertTrue(script.startsWith("#!/usr/bin/env bash"), script.lines().findFirst().orElse(""));
        CommandLine tree = new CommandLine(new ShuntCtl());
        for (String command : tree.getSubcommands().keySet()) {
            assertTrue(script.contains(command), "completion offers " + command);
        }
        for (String option : List.of("--run-dir", "--timeout", "--format", "--strict", "--no-stats", "--may-exist", "--if-exists")) {
            assertTrue(script.contains(option), "completion offers " + option);
        }
    }

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
