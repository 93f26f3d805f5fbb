package io.shunt.datapath.guest.pci;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One ivshmem PCI device of this machine as sysfs shows it.
 *
 * @param slot      the PCI address, e.g. {@code 0000:00:05.0} (the sysfs directory name)
 * @param directory {@code /sys/bus/pci/devices/<slot>}
 */
public record IvshmemPciDevice(String slot, Path directory) {
    /** Red Hat, Inc. (virtio and ivshmem devices). */
    public static final int VENDOR_ID = 0x1af4;
    /** Inter-VM shared memory (ivshmem-plain and ivshmem-doorbell). */
    public static final int DEVICE_ID = 0x1110;

    public IvshmemPciDevice {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(directory, "directory");
    }

    /** BAR2, the shared memory itself: mmap this file to reach the region. */
    public Path bar2() {
        return directory.resolve("resource2");
    }

    /** Writing "1" here enables the device (memory decoding), which no kernel driver does for ivshmem. */
    Path enableFile() {
        return directory.resolve("enable");
    }
}
