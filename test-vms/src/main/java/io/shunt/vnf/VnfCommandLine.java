package io.shunt.vnf;

import picocli.CommandLine;

/**
 * Runs a VNF program's picocli command: usage errors print the usage (exit 2); an error while
 * running (a port that cannot be attached, a frame size the pool cannot hold) prints its
 * message, which names the port and the file, on stderr and exits 1 without a stack trace.
 */
final class VnfCommandLine {
    private VnfCommandLine() {
    }

    static int execute(Object command, String[] args) {
        CommandLine line = new CommandLine(command);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CommandLine.ParameterException p) {
                throw p;
            }
            cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
            return 1;
        });
        return line.execute(args);
    }
}
