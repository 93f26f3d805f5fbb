package io.shunt.datapath.hostport;

import java.io.IOException;

/**
 * A host port could not be opened or configured: which port, which interface, which call,
 * and the system's reason ({@code errno}, 0 when the failure is not a system call's).
 */
public final class HostPortException extends IOException {
    private final int errno;

    HostPortException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** A failed system call: "{context}: {call} failed: {strerror} (errno N)". */
    static HostPortException call(String context, String call, int errno) {
        return new HostPortException(context + ": " + call + " failed: " + Libc.strerror(errno) + " (errno " + errno
                + ")", errno);
    }

    /** The errno of the failed call, or 0. */
    public int errno() {
        return errno;
    }
}
