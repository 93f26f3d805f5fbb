package io.shunt.datapath.guest.pci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory shaped like /sys/bus/pci/devices: one directory per slot with {@code vendor},
 * {@code device}, {@code enable} and a {@code resource2} that is a symlink to a real region file
 * (the guest's BAR2 is the host's region file, so the bytes are the same).
 */
final class FakePciBus {
    final Path root;

    FakePciBus(Path root) {
        this.root = root;
    }

    Path add(String slot, int vendor, int device, Path bar2) throws IOException {
        Path directory = Files.createDirectories(root.resolve(slot));
        Files.writeString(directory.resolve("vendor"), String.format("0x%04x%n", vendor));
        Files.writeString(directory.resolve("device"), String.format("0x%04x%n", device));
        Files.writeString(directory.resolve("enable"), "0\n");
        if (bar2 != null) {
            Files.createSymbolicLink(directory.resolve("resource2"), bar2);
        }
        return directory;
    }

    Path addIvshmem(String slot, Path bar2) throws IOException {
        return add(slot, IvshmemPciDevice.VENDOR_ID, IvshmemPciDevice.DEVICE_ID, bar2);
    }

    void remove(String slot) throws IOException {
        Path directory = root.resolve(slot);
        try (var entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                Files.delete(entry);
            }
        }
        Files.delete(directory);
    }

    IvshmemPciBus bus() {
        return new IvshmemPciBus(root);
    }
}
