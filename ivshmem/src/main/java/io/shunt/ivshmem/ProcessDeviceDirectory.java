package io.shunt.ivshmem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shunt.datapath.device.DeviceDirectoryLayout;
import io.shunt.datapath.region.RegionHeaderLayout;

/**
 * The writer side of the process device directory, the "PCI bus" of VNFs that run as host
 * processes (DESIGN.md section 5, contract-links.md section 1):
 * <pre>
 * &lt;root&gt;/&lt;vnf-id&gt;/pid              "&lt;pid&gt;\n", written by the guest shim (tmp + rename)
 * &lt;root&gt;/&lt;vnf-id&gt;/ports/&lt;port&gt;     symlink → port region file (one per attached port)
 * &lt;root&gt;/&lt;vnf-id&gt;/devices/&lt;dev&gt;   symlink → link region file (one per plugged device)
 * </pre>
 * The guest shim registers (pid, ports) and watches {@code devices/}; this class reads the
 * registrations and writes device entries. A plug is atomic for a watcher: the symlink is
 * made under the hidden name {@code .<dev>.tmp} and renamed to {@code <dev>} (rename(2)), so
 * the shim never sees a half-made entry; an unplug is one unlink(2).
 *
 * <p>Registrations whose process is gone (or is a zombie, or whose pid now belongs to a
 * later process) are ignored: a VNF killed with SIGKILL cannot clean up after itself.
 * Plug and unplug of one instance are serialised; two agents on one root are not supported.
 */
public final class ProcessDeviceDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessDeviceDirectory.class);
    /** A pid file longer than this is not one. */
    private static final long MAX_PID_FILE_BYTES = 32;

    /** What a plug did. */
    public enum PlugOutcome {
        /** The entry was made. */
        PLUGGED,
        /** An entry of that name already pointed to that region: nothing changed. */
        ALREADY_PLUGGED
    }

    private final Path root;

    public ProcessDeviceDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The default root for regions in {@code regionDirectory}: {@code <regionDirectory>/shunt-devices}. */
    public static Path defaultRoot(Path regionDirectory) {
        return DeviceDirectoryLayout.defaultRoot(regionDirectory);
    }

    public Path root() {
        return root;
    }

    /** The registered VNFs whose process is alive, by vnf-id. A missing root means none. */
    public List<ProcessVnf> vnfs() throws IOException {
        List<ProcessVnf> live = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path dir : entries) {
                String id = dir.getFileName().toString();
                if (DeviceDirectoryLayout.isTemporary(id) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                read(id, dir).ifPresent(live::add);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        live.sort(Comparator.comparing(ProcessVnf::id));
        return live;
    }

    /** The live VNF {@code id}, if registered. */
    public Optional<ProcessVnf> vnf(String id) throws IOException {
        Path dir = DeviceDirectoryLayout.vnfDirectory(root, id);
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? read(id, dir) : Optional.empty();
    }

    /**
     * The live VNF that registered port {@code port}. Should two live VNFs claim it (a
     * mis-configuration: two processes attached one port), the later registration wins and
     * the clash is logged.
     */
    public Optional<ProcessVnf> owner(String port) throws IOException {
        DeviceDirectoryLayout.checkName("port", port);
        ProcessVnf owner = null;
        Instant ownerRegistered = Instant.MIN;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path dir : entries) {
                String id = dir.getFileName().toString();
                // One lstat per registration first: only a VNF that lists the port is read and
                // checked for liveness (which costs a few /proc reads).
                if (DeviceDirectoryLayout.isTemporary(id)
                        || !Files.isSymbolicLink(dir.resolve(DeviceDirectoryLayout.PORTS_DIRECTORY).resolve(port))) {
                    continue;
                }
                Optional<ProcessVnf> vnf = read(id, dir);
                if (vnf.isEmpty() || !vnf.get().ports().containsKey(port)) {
                    continue;
                }
                Instant registered = registered(vnf.get());
                if (owner != null) {
                    LOG.warn("port {} is registered by two live VNFs, {} (pid {}) and {} (pid {}); using the later one",
                            port, owner.id(), owner.pid(), vnf.get().id(), vnf.get().pid());
                }
                if (owner == null || registered.isAfter(ownerRegistered)) {
                    owner = vnf.get();
                    ownerRegistered = registered;
                }
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(owner);
    }

    /**
     * Plugs {@code region} into {@code vnf} as device {@code device} (atomically, see the class
     * comment). Plugging the same region again changes nothing.
     *
     * @throws DeviceConflictException if {@code device} is plugged to another region
     * @throws IllegalArgumentException if the device name is not a valid entry name or the
     *                                  region path is not absolute
     */
    public synchronized PlugOutcome plug(ProcessVnf vnf, String device, Path region) throws IOException {
        checkDeviceName(device);
        if (!region.isAbsolute()) {
            throw new IllegalArgumentException("region path '" + region + "' must be absolute: the guest shim"
                    + " resolves the entry from its own working directory");
        }
        Path target = region.normalize();
        Path devices = vnf.devicesDirectory();
        Path entry = devices.resolve(device);
        Optional<Path> existing = readLink(entry);
        if (existing.isPresent()) {
            if (existing.get().equals(target)) {
                return PlugOutcome.ALREADY_PLUGGED;
            }
            throw new DeviceConflictException(vnf.id(), device, existing.get(), target);
        }
        Files.createDirectories(devices);
        Path temporary = devices.resolve(DeviceDirectoryLayout.temporaryName(device));
        Files.deleteIfExists(temporary);
        Files.createSymbolicLink(temporary, target);
        try {
            Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        LOG.info("plugged {} into VNF {} (pid {}): {} -> {}", device, vnf.id(), vnf.pid(), entry, target);
        return PlugOutcome.PLUGGED;
    }

    /** Removes device {@code device} from {@code vnf}; false if it was not plugged. */
    public synchronized boolean unplug(ProcessVnf vnf, String device) throws IOException {
        checkDeviceName(device);
        boolean removed = Files.deleteIfExists(vnf.devicesDirectory().resolve(device));
        if (removed) {
            LOG.info("unplugged {} from VNF {} (pid {})", device, vnf.id(), vnf.pid());
        }
        return removed;
    }

    /** The devices plugged into {@code vnf}, by name. */
    public List<ProcessDevice> devices(ProcessVnf vnf) throws IOException {
        List<ProcessDevice> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(vnf.devicesDirectory())) {
            for (Path entry : entries) {
                String device = entry.getFileName().toString();
                if (DeviceDirectoryLayout.isTemporary(device)) {
                    continue;
                }
                Optional<Path> target = readLink(entry);
                target.ifPresent(region -> found.add(new ProcessDevice(vnf, device, region,
                        LinkEnds.portsJoined(region, vnf.ports()))));
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        }
        found.sort(Comparator.comparing(ProcessDevice::device));
        return found;
    }

    /** The devices plugged into every live VNF, by vnf-id then device name. */
    public List<ProcessDevice> devices() throws IOException {
        List<ProcessDevice> all = new ArrayList<>();
        for (ProcessVnf vnf : vnfs()) {
            all.addAll(devices(vnf));
        }
        return all;
    }

    /**
     * Checks a device name: a usable directory entry ({@link DeviceDirectoryLayout#checkName})
     * that also fits a region header (at most 64 UTF-8 bytes), since it is a link region name.
     */
    public static void checkDeviceName(String device) {
        DeviceDirectoryLayout.checkName("device", device);
        if (device.getBytes(StandardCharsets.UTF_8).length > RegionHeaderLayout.NAME_LENGTH) {
            throw new IllegalArgumentException("device name '" + device + "' is longer than the "
                    + RegionHeaderLayout.NAME_LENGTH + " bytes of a region name");
        }
    }

    /**
     * The registration in {@code dir}, if its process lives; empty (logged at DEBUG, as the
     * watcher rereads every second) if it cannot be read, e.g. another user's 0700 directory:
     * one unreadable registration must not hide the others.
     */
    private Optional<ProcessVnf> read(String id, Path dir) {
        try {
            return readRegistration(id, dir);
        } catch (IOException e) {
            LOG.debug("VNF {}: registration in {} cannot be read, ignored: {}", id, dir, e.toString());
            return Optional.empty();
        }
    }

    private Optional<ProcessVnf> readRegistration(String id, Path dir) throws IOException {
        Path pidFile = dir.resolve(DeviceDirectoryLayout.PID_FILE);
        long pid;
        Instant written;
        try {
            if (Files.size(pidFile) > MAX_PID_FILE_BYTES) {
                LOG.debug("VNF {}: pid file larger than {} bytes, ignored", id, MAX_PID_FILE_BYTES);
                return Optional.empty();
            }
            written = Files.getLastModifiedTime(pidFile).toInstant();
            pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty(); // registration in progress, or a leftover without a pid
        } catch (NumberFormatException e) {
            LOG.debug("VNF {}: pid file does not hold a pid, ignored", id);
            return Optional.empty();
        }
        if (!ProcessLiveness.isAlive(pid, written)) {
            return Optional.empty();
        }
        Map<String, Path> ports = new TreeMap<>();
        Path portsDir = dir.resolve(DeviceDirectoryLayout.PORTS_DIRECTORY);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(portsDir)) {
            for (Path entry : entries) {
                String port = entry.getFileName().toString();
                if (!DeviceDirectoryLayout.isTemporary(port)) {
                    readLink(entry).ifPresent(target -> ports.put(port, target));
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            // registered, no port attached yet
        }
        return Optional.of(new ProcessVnf(id, pid, dir, ports));
    }

    private static Instant registered(ProcessVnf vnf) {
        try {
            return Files.getLastModifiedTime(vnf.directory().resolve(DeviceDirectoryLayout.PID_FILE)).toInstant();
        } catch (IOException e) {
            return Instant.MIN;
        }
    }

    /** The absolute, normalised target of symlink {@code entry}; empty if it is missing or not a symlink. */
    private static Optional<Path> readLink(Path entry) throws IOException {
        if (!Files.isSymbolicLink(entry)) {
            return Optional.empty();
        }
        try {
            Path target = Files.readSymbolicLink(entry);
            return Optional.of(entry.getParent().resolve(target).toAbsolutePath().normalize());
        } catch (NoSuchFileException e) {
            return Optional.empty(); // unlinked between the check and the read
        }
    }
}
