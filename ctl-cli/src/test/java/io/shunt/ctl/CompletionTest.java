package io.shunt.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bash completion script: the build writes it, {@code shunt-ctl completion}
 * prints the same, and a real bash that sources it completes every command
 * from a prefix, the options of a command, and the values of --format.
 */
class CompletionTest {

    @TempDir
    Path dir;

    private static String completionScript() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = ShuntCtl.execute(new String[] {"completion"}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(ExitCode.OK, exit, err::toString);
        return out.toString();
    }

    @Test
    void theBuildWritesTheScriptThatCompletionPrints() throws Exception {
        // Written in process-classes by picocli's generator (ctl-cli/pom.xml), before the tests run.
        Path built = Path.of("target", "shunt-ctl_completion");
        assertTrue(Files.isRegularFile(built), "the build wrote " + built.toAbsolutePath());
        String script = completionScript();
        assertTrue(script.startsWith("#!/usr/bin/env bash"), script.lines().findFirst().orElse(""));
        assertEquals(Files.readString(built), script);
    }

    /** Asks bash, with the script sourced, what it completes for each command line (words; the last one is being typed). */
    private Map<String, List<String>> bashCompletes(List<String> lines) throws Exception {
        Path script = Files.writeString(dir.resolve("shunt-ctl_completion"), completionScript());
        StringBuilder program = new StringBuilder("source " + script + " 2>/dev/null\n");
        for (String line : lines) {
            program.append("COMP_LINE='").append(line).append("'; read -ra COMP_WORDS <<< \"$COMP_LINE\"; ");
            program.append(line.endsWith(" ") ? "COMP_WORDS+=(''); " : "");
            program.append("COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_POINT=${#COMP_LINE}; COMPREPLY=(); ");
            program.append("_complete_shunt-ctl shunt-ctl \"${COMP_WORDS[COMP_CWORD]}\" 2>/dev/null; ");
            program.append("echo \"== ${COMPREPLY[*]}\"\n");
        }
        Path file = Files.writeString(dir.resolve("complete.sh"), program);
        Process bash = new ProcessBuilder("bash", "--norc", "--noprofile", file.toString()).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes());
        assertTrue(bash.waitFor(60, TimeUnit.SECONDS), "bash finished");
        assertEquals(0, bash.exitValue(), out);
        List<String> replies = out.lines().filter(l -> l.startsWith("== ")).toList();
        assertEquals(lines.size(), replies.size(), out);
        Map<String, List<String>> byLine = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            byLine.put(lines.get(i), List.of(replies.get(i).substring(3).split(" ")));
        }
        return byLine;
    }

    @Test
    void bashCompletesEveryCommandFromItsPrefix() throws Exception {
        List<String> commands = new ArrayList<>(new CommandLine(new ShuntCtl()).getSubcommands().keySet());
        List<String> lines = commands.stream().map(c -> "shunt-ctl " + c.substring(0, c.length() - 1)).toList();
        Map<String, List<String>> replies = bashCompletes(lines);
        for (int i = 0; i < commands.size(); i++) {
            assertTrue(replies.get(lines.get(i)).contains(commands.get(i)),
                    () -> "bash completes " + commands + " from their prefixes: " + replies);
        }
        assertTrue(commands.containsAll(List.of("add-br", "add-flow", "dump-flows", "links", "set-pmd", "set-direct-links",
                "completion")), commands::toString);
    }

    @Test
    void bashCompletesOptionsAndFormatValues() throws Exception {
        Map<String, List<String>> replies = bashCompletes(List.of("shunt-ctl links --", "shunt-ctl dump-flows --",
                "shunt-ctl show --format ", "shunt-ctl set-direct-links "));
        assertTrue(replies.get("shunt-ctl links --").containsAll(List.of("--watch", "--interval", "--count", "--format",
                "--run-dir", "--timeout", "--help")), replies::toString);
        assertTrue(replies.get("shunt-ctl dump-flows --").containsAll(List.of("--no-stats", "--format")), replies::toString);
        assertEquals(List.of("text", "json"), replies.get("shunt-ctl show --format "), replies::toString);
        assertEquals(List.of("on", "off"), replies.get("shunt-ctl set-direct-links "), replies::toString);
    }
}
