package io.shunt.datapath.guest.pci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shunt.datapath.device.DeviceDirectoryLayout;
import io.shunt.datapath.region.RegionKind;

/**
 * Presents a VM's ivshmem devices to the guest shim in the layout a VNF process finds on the
 * host (contract-links §1), so that the shim has one attach path and one remap path for both:
 * <ul>
 *   <li>pool and port devices appear as {@code <region directory>/<region name>}, so that
 *       {@code GuestPort.attach(regionDirectory, port)} finds {@code shunt-port-<port>} and the
 *       pool it names, exactly as in {@code /dev/shm} on the host;</li>
 *   <li>link devices appear as {@code <devices directory>/<region name>}, the process device
 *       directory's "plugged device" entry, created atomically (symlink to a temporary name,
 *       then rename) when the device is hot-plugged and removed when it is unplugged.</li>
 * </ul>
 * Every entry is a symlink to the device's BAR2 ({@code resource2}), which the region classes
 * map as they map a file. The entry name comes from the region header (an ivshmem device has no
 * other name); a device whose header is not a region's is logged once and left alone.
 *
 * <p>Devices present at {@link #start} are mirrored before it returns. After that one thread
 * waits on the kernel's uevents ({@link UeventSocket}): a hot-plug is mirrored within
 * milliseconds of the kernel announcing it, and nothing polls meanwhile (FACTS.md: polling
 * sysfs every 20 ms costs 40 % of a core under TCG). If uevents were lost, the bus is rescanned.
 */
public final class PciDeviceMirror implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PciDeviceMirror.class);
    /** How long a stop request waits at most (the uevent socket's receive timeout). */
    private static final Duration WAKE_UP = Duration.ofMillis(500);
    /**
     * How long a just-announced device may take to show a readable header: the kernel sends
     * "add" before it creates the resource files and before the BAR is enabled.
     */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** One mirrored device. */
    public record Entry(IvshmemPciDevice device, RegionIdentity identity, Path link) {
    }

    /** Called on the watcher thread (or in {@link #start} for devices present then). */
    public interface Listener {
        /**
         * A device was mirrored; {@code announcedNanos} is when the uevent arrived (or the scan
         * began), {@code mirroredNanos} when its entry was in place ({@link System#nanoTime}).
         */
        default void mirrored(Entry entry, long announcedNanos, long mirroredNanos) {
        }

        /** A device was removed from the bus and its entry unlinked. */
        default void removed(Entry entry) {
        }
    }

    private final IvshmemPciBus bus;
    private final Path regionDirectory;
    private final Path devicesDirectory;
    private final Listener listener;
    private final Map<String, Entry> bySlot = new LinkedHashMap<>();
    private final Set<String> rejectedSlots = new HashSet<>();
    private volatile boolean running;
    private Thread watcher;

    /**
     * @param bus              the PCI bus to mirror
     * @param regionDirectory  where pool and port devices appear (the shim's region directory)
     * @param devicesDirectory where link devices appear ({@code <device-root>/<vnf-id>/devices})
     * @param listener         told of every change (may do nothing)
     */
    public PciDeviceMirror(IvshmemPciBus bus, Path regionDirectory, Path devicesDirectory, Listener listener) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.regionDirectory = Objects.requireNonNull(regionDirectory, "regionDirectory");
        this.devicesDirectory = Objects.requireNonNull(devicesDirectory, "devicesDirectory");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Opens the uevent socket first (so that no hot-plug falls between the scan and the first
     * receive), mirrors the devices present now, then starts the watcher thread.
     */
    public void start() throws IOException {
        Files.createDirectories(regionDirectory);
        Files.createDirectories(devicesDirectory);
        UeventSocket socket = UeventSocket.open(WAKE_UP);
        try {
            resync(System.nanoTime());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        running = true;
        watcher = Thread.ofPlatform().daemon().name("shunt-pci-uevents").start(() -> watch(socket));
    }

    private void watch(UeventSocket socket) {
        try (socket) {
            while (running) {
                Optional<Uevent> event;
                try {
                    event = socket.receive();
                } catch (UeventSocket.Overrun e) {
                    LOG.warn("{}; rescanning {}", e.getMessage(), bus.devicesDirectory());
                    resync(System.nanoTime());
                    continue;
                }
                if (event.isEmpty() || !event.get().isIvshmemPciDevice() || event.get().pciSlot() == null) {
                    continue;
                }
                long announced = System.nanoTime();
                Uevent uevent = event.get();
                try {
                    switch (uevent.action()) {
                        case "add" -> mirrorSlot(uevent.pciSlot(), announced);
                        case "remove" -> unmirrorSlot(uevent.pciSlot());
                        default -> {
                        }
                    }
                } catch (IOException e) {
                    LOG.warn("PCI device {} ({}): cannot update the mirror in {} / {}: {}", uevent.pciSlot(),
                            uevent.action(), regionDirectory, devicesDirectory, e.toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("PCI device watcher stopped: hot-plugged devices are no longer followed", e);
        }
    }

    /** Mirrors every device present and unlinks entries of devices that are gone. */
    public synchronized void resync(long announcedNanos) throws IOException {
        Set<String> present = new HashSet<>();
        for (IvshmemPciDevice device : bus.scan()) {
            present.add(device.slot());
            if (!bySlot.containsKey(device.slot())) {
                mirror(device, announcedNanos);
            }
        }
        for (String slot : List.copyOf(bySlot.keySet())) {
            if (!present.contains(slot)) {
                unmirrorSlot(slot);
            }
        }
    }

    private synchronized void mirrorSlot(String slot, long announcedNanos) throws IOException {
        long deadline = announcedNanos + SETTLE_NANOS;
        Optional<IvshmemPciDevice> device = bus.device(slot);
        // The "add" uevent precedes the device's sysfs attributes: wait (bounded) for them.
        for (long pause = 1; device.isEmpty() && System.nanoTime() - deadline < 0; pause = Math.min(pause * 2, 50)) {
            sleepMillis(pause);
            device = bus.device(slot);
        }
        if (device.isEmpty()) {
            LOG.warn("PCI device {} announced as ivshmem but not found under {}", slot, bus.devicesDirectory());
            return;
        }
        if (!bySlot.containsKey(slot)) {
            mirror(device.get(), announcedNanos);
        }
    }

    private void mirror(IvshmemPciDevice device, long announcedNanos) throws IOException {
        RegionIdentity identity = identify(device, announcedNanos + SETTLE_NANOS);
        if (identity == null) {
            return;
        }
        Path directory = identity.kind() == RegionKind.LINK ? devicesDirectory : regionDirectory;
        Path link = directory.resolve(identity.name());
        Path temporary = directory.resolve(DeviceDirectoryLayout.temporaryName(identity.name()));
        Files.deleteIfExists(temporary);
        Files.createSymbolicLink(temporary, device.bar2());
        // rename(2) replaces atomically: a reader sees the old entry or the new one, never none.
        Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Entry entry = new Entry(device, identity, link);
        bySlot.put(device.slot(), entry);
        long mirrored = System.nanoTime();
        LOG.info("{} device '{}' (generation {}, {} bytes) at PCI {} -> {} ({} us after the announcement)",
                identity.kind(), identity.name(), identity.generation(), identity.size(), device.slot(), link,
                (mirrored - announcedNanos) / 1000);
        listener.mirrored(entry, announcedNanos, mirrored);
    }

    /**
     * Enables the device and reads its region header; retries until {@code deadlineNanos}
     * while the resource file is missing or reads as no region (BAR not yet decoding).
     */
    private RegionIdentity identify(IvshmemPciDevice device, long deadlineNanos) {
        IOException last = null;
        for (long pause = 1; ; pause = Math.min(pause * 2, 50)) {
            try {
                enable(device);
                RegionIdentity identity = RegionIdentity.read(device.bar2());
                rejectedSlots.remove(device.slot());
                return identity;
            } catch (IOException e) {
                last = e;
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                break;
            }
            sleepMillis(pause);
        }
        if (rejectedSlots.add(device.slot())) {
            LOG.warn("ivshmem device at PCI {} is not a shunt region, ignored: {}", device.slot(), last.getMessage());
        }
        return null;
    }

    /** No kernel driver binds ivshmem-plain, so nothing else turns on the BAR's memory decoding. */
    private static void enable(IvshmemPciDevice device) throws IOException {
        try {
            if (!"1".equals(Files.readString(device.enableFile()).strip())) {
                Files.writeString(device.enableFile(), "1");
            }
        } catch (NoSuchFileException e) {
            // Not a real sysfs device (tests) or already removed: the header read decides.
        }
    }

    private synchronized void unmirrorSlot(String slot) throws IOException {
        Entry entry = bySlot.remove(slot);
        if (entry == null) {
            return;
        }
        Files.deleteIfExists(entry.link());
        LOG.info("{} device '{}' at PCI {} removed, {} unlinked", entry.identity().kind(), entry.identity().name(), slot,
                entry.link());
        listener.removed(entry);
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a PCI device to settle", e);
        }
    }

    /** The devices mirrored now, in the order they appeared. */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(bySlot.values());
    }

    public Path regionDirectory() {
        return regionDirectory;
    }

    public Path devicesDirectory() {
        return devicesDirectory;
    }

    /** Stops the watcher (within the socket's receive timeout); the entries stay. */
    @Override
    public void close() {
        running = false;
        Thread thread = watcher;
        if (thread != null) {
            try {
                thread.join(WAKE_UP.multipliedBy(4).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
