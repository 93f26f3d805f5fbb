package io.shunt.datapath.guest.pci;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The ivshmem devices on this machine's PCI bus, read from sysfs ({@code
 * /sys/bus/pci/devices/*}{@code /vendor} and {@code device}). A scan costs a few dozen small
 * file reads: done at start and when the kernel announces a device, never in a polling loop
 * (under TCG, polling sysfs every 20 ms costs 40 % of a core, FACTS.md).
 */
public final class IvshmemPciBus {
    /** Where Linux lists the PCI devices. */
    public static final Path SYSFS_PCI_DEVICES = Path.of("/sys/bus/pci/devices");

    private final Path devicesDirectory;

    /** The bus under {@code devicesDirectory} (the real sysfs, or a copy of its shape in tests). */
    public IvshmemPciBus(Path devicesDirectory) {
        this.devicesDirectory = devicesDirectory;
    }

    public static IvshmemPciBus system() {
        return new IvshmemPciBus(SYSFS_PCI_DEVICES);
    }

    /** Every 1af4:1110 device present now, in slot order. */
    public List<IvshmemPciDevice> scan() throws IOException {
        List<IvshmemPciDevice> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(devicesDirectory)) {
            for (Path entry : entries) {
                device(entry.getFileName().toString()).ifPresent(found::add);
            }
        }
        found.sort(Comparator.comparing(IvshmemPciDevice::slot));
        return found;
    }

    /** The device at {@code slot} if it is present and an ivshmem device. */
    public Optional<IvshmemPciDevice> device(String slot) throws IOException {
        if (slot.isEmpty() || slot.contains("/") || slot.startsWith(".")) {
            return Optional.empty();
        }
        Path directory = devicesDirectory.resolve(slot);
        try {
            if (readId(directory.resolve("vendor")) == IvshmemPciDevice.VENDOR_ID
                    && readId(directory.resolve("device")) == IvshmemPciDevice.DEVICE_ID) {
                return Optional.of(new IvshmemPciDevice(slot, directory));
            }
            return Optional.empty();
        } catch (NoSuchFileException e) {
            // Removed between the listing and the read, or not a device directory.
            return Optional.empty();
        }
    }

    public Path devicesDirectory() {
        return devicesDirectory;
    }

    /** sysfs ids read "0x1af4\n". */
    private static int readId(Path file) throws IOException {
        String text = Files.readString(file).strip();
        if (!text.startsWith("0x")) {
            return -1;
        }
        try {
            return Integer.parseInt(text.substring(2), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
