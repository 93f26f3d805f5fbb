package io.shunt.ivshmem;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A device plugged into a process VNF: the entry {@code devices/<device>} and the region it
 * points to.
 *
 * @param vnf    the VNF that has it
 * @param device the device (link region) name
 * @param region the region file the entry points to
 * @param ports  the VNF's ports the link joins (its port regions whose port number is an end
 *               of the link and whose pool is the link's pool); empty if the link region
 *               cannot be read any more
 */
public record ProcessDevice(ProcessVnf vnf, String device, Path region, List<String> ports) {
    public ProcessDevice {
        Objects.requireNonNull(vnf, "vnf");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(region, "region");
        ports = List.copyOf(ports);
    }
}
