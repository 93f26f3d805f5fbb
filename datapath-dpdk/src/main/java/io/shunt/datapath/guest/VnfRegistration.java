package io.shunt.datapath.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shunt.datapath.device.DeviceDirectoryLayout;

/**
 * This process's entry in the process device directory (contract-links.md section 1): the
 * {@code pid} file, one {@code ports/<port>} symlink per attached {@link GuestPort}, and the
 * {@link DeviceWatcher} of its {@code devices/}. One per (root, vnf-id) in a process, shared
 * by its ports; created with the first port, removed with the last.
 *
 * <p>Cold paths only, under the class lock. Failures are logged, never thrown at the VNF: a
 * port that cannot register works on the normal path, without direct links.
 */
final class VnfRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(VnfRegistration.class);
    private static final Map<Path, VnfRegistration> REGISTRATIONS = new HashMap<>();

    private final Path root;
    private final String vnfId;
    private final Path key;
    private final DeviceWatcher watcher;
    private final List<GuestPort> ports = new ArrayList<>();

    private VnfRegistration(Path root, String vnfId, Path key, DeviceWatcher watcher) {
        this.root = root;
        this.vnfId = vnfId;
        this.key = key;
        this.watcher = watcher;
    }

    /** Registers {@code port} (attached, not yet handed to the VNF); empty if the directory cannot be used. */
    static synchronized Optional<VnfRegistration> register(GuestPort port, Path root, String vnfId) {
        Path key = DeviceDirectoryLayout.vnfDirectory(root, vnfId).toAbsolutePath().normalize();
        VnfRegistration registration = REGISTRATIONS.get(key);
        try {
            if (registration == null) {
                registration = create(root, vnfId, key);
                REGISTRATIONS.put(key, registration);
            }
            registration.add(port);
            return Optional.of(registration);
        } catch (IOException | RuntimeException e) {
            LOG.warn("port '{}': cannot register in device directory {} as '{}', direct links are off for it: {}",
                    port.portName(), root, vnfId, e.toString());
            return Optional.empty();
        }
    }

    private static VnfRegistration create(Path root, String vnfId, Path key) throws IOException {
        Path vnfDirectory = DeviceDirectoryLayout.vnfDirectory(root, vnfId);
        Path pidFile = DeviceDirectoryLayout.pidFile(root, vnfId);
        long pid = ProcessHandle.current().pid();
        clearStaleEntries(root, vnfId, pidFile, pid);
        Files.createDirectories(DeviceDirectoryLayout.portsDirectory(root, vnfId));
        Path devices = Files.createDirectories(DeviceDirectoryLayout.devicesDirectory(root, vnfId));
        Path temporary = vnfDirectory.resolve(DeviceDirectoryLayout.temporaryName(DeviceDirectoryLayout.PID_FILE));
        Files.writeString(temporary, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(temporary, pidFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DeviceWatcher watcher = new DeviceWatcher(devices, vnfId);
        watcher.start();
        LOG.info("registered as VNF '{}' (pid {}) in {}", vnfId, pid, root);
        return new VnfRegistration(root, vnfId, key, watcher);
    }

    /**
     * A directory left by an earlier process of the same vnf-id that died: its device entries
     * belong to links of that process (the switch reverts them), not to us.
     */
    private static void clearStaleEntries(Path root, String vnfId, Path pidFile, long pid) throws IOException {
        String previous;
        try {
            previous = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return;
        }
        long previousPid;
        try {
            previousPid = Long.parseLong(previous);
        } catch (NumberFormatException e) {
            previousPid = -1;
        }
        if (previousPid != pid && previousPid > 0 && ProcessHandle.of(previousPid).map(ProcessHandle::isAlive)
                .orElse(false)) {
            LOG.warn("VNF id '{}' in {} is registered by live pid {}: sharing its entry (give each VNF its own id)",
                    vnfId, root, previousPid);
            return;
        }
        for (Path directory : List.of(DeviceDirectoryLayout.portsDirectory(root, vnfId),
                DeviceDirectoryLayout.devicesDirectory(root, vnfId))) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                for (Path entry : entries) {
                    Files.deleteIfExists(entry);
                }
            } catch (NoSuchFileException e) {
                // nothing left there
            }
        }
        LOG.info("VNF id '{}' in {}: removed the entries of dead pid {}", vnfId, root, previous);
    }

    private void add(GuestPort port) throws IOException {
        Path entry = DeviceDirectoryLayout.portEntry(root, vnfId, port.portName());
        Path temporary = entry.resolveSibling(DeviceDirectoryLayout.temporaryName(port.portName()));
        Files.deleteIfExists(temporary);
        Files.createSymbolicLink(temporary, port.regionFile().toAbsolutePath());
        Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        ports.add(port);
        watcher.addPort(port);
    }

    /** The port closes (its polling threads have stopped): drops its entry, and the whole VNF entry with the last port. */
    void unregister(GuestPort port) {
        synchronized (VnfRegistration.class) {
            watcher.removePort(port);
            ports.remove(port);
            try {
                Files.deleteIfExists(DeviceDirectoryLayout.portEntry(root, vnfId, port.portName()));
            } catch (IOException e) {
                LOG.warn("port '{}': cannot remove its entry in {}: {}", port.portName(), root, e.toString());
            }
            if (!ports.isEmpty()) {
                return;
            }
            REGISTRATIONS.remove(key);
            watcher.stop();
            Path vnfDirectory = DeviceDirectoryLayout.vnfDirectory(root, vnfId);
            try (Stream<Path> files = Files.walk(vnfDirectory)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                LOG.warn("VNF '{}': cannot remove {}: {}", vnfId, vnfDirectory, e.toString());
            }
            LOG.info("VNF '{}': last port closed, entry removed from {}", vnfId, root);
        }
    }

    /** Device entries of this VNF that were not usable links for its ports. */
    long ignoredDevices() {
        return watcher.ignoredDevices();
    }

    DeviceWatcher watcher() {
        return watcher;
    }
}
