package io.shunt.datapath.guest;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A VNF could not attach to a port: the message says which port, which file, and what was
 * expected (no region of that name, a region that is not a port, a pool that is missing or
 * is not the one the port names). The cause, if any, is the underlying I/O or format error.
 */
public final class GuestAttachException extends IOException {
    private final String portName;
    private final Path file;

    public GuestAttachException(String portName, Path file, String message, Throwable cause) {
        super("port '" + portName + "' (" + file + "): " + message, cause);
        this.portName = portName;
        this.file = file;
    }

    /** The port the VNF tried to attach to. */
    public String portName() {
        return portName;
    }

    /** The file that was missing or rejected (port region or pool region). */
    public Path file() {
        return file;
    }
}
