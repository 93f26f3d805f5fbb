package io.shunt.ctl;

/**
 * A failure that ends a shunt-ctl command: the one line printed on stderr
 * and the {@link ExitCode} the process exits with.
 */
public final class CtlFailure extends Exception {

    private final int exitCode;

    public CtlFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public CtlFailure(int exitCode, String message, Throwable cause) {
        super(message, cause, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
