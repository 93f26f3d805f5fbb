package io.shunt.ctl.command;

import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.ExitCode;
import io.shunt.ctl.ShuntCtl;
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
}
