package io.shunt.ivshmem;

import java.io.IOException;
import java.nio.file.Path;

/** A device of that name is already plugged into the VNF, pointing to another region. */
public final class DeviceConflictException extends IOException {
    private final String vnf;
    private final String device;
    private final Path plugged;
    private final Path requested;

    public DeviceConflictException(String vnf, String device, Path plugged, Path requested) {
        super("device " + device + " of VNF " + vnf + " is plugged to " + plugged + ", not " + requested
                + " (unplug it first)");
        this.vnf = vnf;
        this.device = device;
        this.plugged = plugged;
        this.requested = requested;
    }

    public String vnf() {
        return vnf;
    }

    public String device() {
        return device;
    }

    public Path plugged() {
        return plugged;
    }

    public Path requested() {
        return requested;
    }
}
