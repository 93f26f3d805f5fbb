package io.shunt.ctl;

/**
 * The exit codes of shunt-ctl, which scripts may rely on. Each failure also
 * prints exactly one line on stderr, starting with {@code shunt-ctl: }.
 *
 * <p>They are listed in docs/shunt-ctl.md; change them only together.
 */
public final class ExitCode {

    /** The command did what it was asked (or printed what was asked for). */
    public static final int OK = 0;

    /**
     * vswitchd refused the change or the query: no such bridge or port, name
     * already in use, invalid value, store failure. Nothing was changed.
     */
    public static final int REFUSED = 1;

    /** The command line is wrong: unknown command or option, missing argument, bad flow syntax. */
    public static final int USAGE = 2;

    /** vswitchd cannot be reached: socket missing, connection refused, or no answer within --timeout. */
    public static final int UNREACHABLE = 3;

    /** The switch answered an OpenFlow request with OFPT_ERROR (type and code are printed). */
    public static final int OPENFLOW_ERROR = 4;

    /** This vswitchd does not know the management method (it is older than this shunt-ctl). */
    public static final int UNSUPPORTED = 5;

    /** The peer answered something that makes no sense (malformed reply, internal error of vswitchd). */
    public static final int PROTOCOL_ERROR = 6;

    private ExitCode() {
    }
}
