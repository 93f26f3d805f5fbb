package io.shunt.ctl.command;

import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.ExitCode;
import io.shunt.ctl.ShuntCtl;
import io.shunt.ctl.flow.FlowSyntaxException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/**
 * A shunt-ctl subcommand: runs, and either succeeds (exit 0) or throws a
 * {@link CtlFailure} that carries its one-line message and exit code.
 */
abstract class CtlCommand implements Callable<Integer> {

    @ParentCommand
    ShuntCtl ctl;

    abstract void run() throws CtlFailure;

    @Override
    public final Integer call() throws CtlFailure {
        run();
        ctl.output().writer().flush();
        return ExitCode.OK;
    }

    static CtlFailure usage(String message) {
        return new CtlFailure(ExitCode.USAGE, message);
    }

    /** One of the ovs-ofctl syntaxes (flow, group, meter, packet-out) applied to a string. */
    @FunctionalInterface
    interface Syntax<T> {
        T parse(String text) throws FlowSyntaxException;
    }

    /**
     * Parses {@code text} as a {@code kind} ("flow", "group", ...); a syntax error is a usage
     * error (exit 2) whose one line quotes the text and points at the bad token's column.
     */
    static <T> T parse(String kind, String text, Syntax<T> syntax) throws CtlFailure {
        try {
            return syntax.parse(text);
        } catch (FlowSyntaxException e) {
            throw usage(e.describe(kind, text));
        }
    }
}
