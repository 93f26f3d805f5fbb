package io.shunt.ivshmem;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import io.shunt.datapath.device.DeviceDirectoryLayout;

/**
 * A VNF process registered in the device directory and found alive.
 *
 * @param id        its vnf-id (the directory name)
 * @param pid       its pid, from the {@code pid} file
 * @param directory {@code <device-root>/<vnf-id>}
 * @param ports     port name → the port region file its {@code ports/<port>} entry points to
 */
public record ProcessVnf(String id, long pid, Path directory, Map<String, Path> ports) {
    public ProcessVnf {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(directory, "directory");
        ports = Map.copyOf(ports);
    }

    /** The directory of its plugged devices. */
    public Path devicesDirectory() {
        return directory.resolve(DeviceDirectoryLayout.DEVICES_DIRECTORY);
    }
}
