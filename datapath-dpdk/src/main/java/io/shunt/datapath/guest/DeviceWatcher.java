package io.shunt.datapath.guest;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shunt.datapath.device.DeviceDirectoryLayout;
import io.shunt.datapath.port.LinkRegion;

/**
 * Watches {@code <device-root>/<vnf-id>/devices/} of this process (the udev of a process
 * VNF): maps each link device that appears, checks that it is a link of this VNF's ports
 * (region kind and layout, port number A or B of a direction, the port's pool by name and
 * generation), makes the {@link TxLink}/{@link RxLink} ends for those ports and hands them
 * over in a new {@link PortLinks}, which each port's data threads pick up at their next
 * burst. When an entry disappears the device is marked unplugged; its region is unmapped once
 * every end has been released by the thread that used it.
 *
 * <p>Events come from the JDK's {@link WatchService}, which is inotify on Linux
 * (docs/guest-shim.md gives its measured latency); a full rescan every
 * {@value #RESCAN_MILLIS} ms catches anything an overflow lost. Its thread, one per
 * registration, does everything here under this object's lock; ports join and leave under
 * the same lock.
 */
final class DeviceWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceWatcher.class);
    /** How often released ends are swept and phases logged when no event arrives. */
    static final long SWEEP_MILLIS = 20;
    /** How often the directory is listed even without an event. */
    static final long RESCAN_MILLIS = 1_000;

    private final Path devicesDirectory;
    private final String vnfId;
    private final WatchService service;
    private final Thread thread;
    private final Map<String, LinkDevice> devices = new LinkedHashMap<>();
    /** Entries refused, by name, with the file identity refused: logged once, retried if the entry changes. */
    private final Map<String, Object> refused = new HashMap<>();
    private final List<GuestPort> ports = new ArrayList<>();
    private volatile boolean running = true;
    private volatile long ignoredDevices;
    private long nextRescan;

    DeviceWatcher(Path devicesDirectory, String vnfId) throws IOException {
        this.devicesDirectory = devicesDirectory;
        this.vnfId = vnfId;
        this.service = devicesDirectory.getFileSystem().newWatchService();
        devicesDirectory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = Thread.ofPlatform().daemon().name("shunt-devices-" + vnfId).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** A port of this VNF attached: devices plugged already are offered to it at once. */
    synchronized void addPort(GuestPort port) {
        ports.add(port);
        // A device refused for naming none of our ports may name this one.
        refused.clear();
        scan();
    }

    /** A port closes (its polling threads have stopped): its ends are closed here, on the closing thread. */
    synchronized void removePort(GuestPort port) {
        ports.remove(port);
        for (LinkDevice device : devices.values()) {
            for (LinkEnd end : device.ends) {
                if (end.port == port && !end.released) {
                    if (end instanceof TxLink tx) {
                        tx.closeFromPort();
                    } else if (end instanceof RxLink rx) {
                        rx.closeFromPort();
                    }
                }
            }
        }
        port.installLinks(PortLinks.NONE);
        sweep();
    }

    /** Stops the thread and unmaps every device (the last port has closed). */
    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("VNF '{}': closing the watch service: {}", vnfId, e.toString());
        }
        synchronized (this) {
            for (LinkDevice device : devices.values()) {
                device.unplugged = true;
                device.region.close();
            }
            devices.clear();
        }
    }

    long ignoredDevices() {
        return ignoredDevices;
    }

    private void run() {
        while (running) {
            boolean event = false;
            try {
                WatchKey key = service.poll(SWEEP_MILLIS, TimeUnit.MILLISECONDS);
                if (key != null) {
                    event = true;
                    // What happened does not matter, only what the directory holds now.
                    key.pollEvents();
                    if (!key.reset()) {
                        reregister();
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                if (!running) {
                    return;
                }
            }
            synchronized (this) {
                if (!running) {
                    return;
                }
                try {
                    if (event || System.nanoTime() - nextRescan >= 0) {
                        scan();
                    } else {
                        sweep();
                    }
                } catch (RuntimeException e) {
                    LOG.error("VNF '{}': device watcher failed on {}, continuing", vnfId, devicesDirectory, e);
                }
            }
        }
    }

    /** The directory was removed (by hand, or a cleanup): make it again and watch the new one. */
    private void reregister() {
        try {
            Files.createDirectories(devicesDirectory);
            devicesDirectory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE);
            LOG.warn("VNF '{}': {} was removed; re-created it and watch it again", vnfId, devicesDirectory);
        } catch (IOException | ClosedWatchServiceException e) {
            LOG.warn("VNF '{}': cannot watch {} again ({}); rescanning every {} ms", vnfId, devicesDirectory,
                    e.toString(), RESCAN_MILLIS);
        }
    }

    private void scan() {
        nextRescan = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RESCAN_MILLIS);
        Set<String> present = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(devicesDirectory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!DeviceDirectoryLayout.isTemporary(name)) {
                    present.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            // Removed: every device is unplugged.
        } catch (IOException e) {
            LOG.warn("VNF '{}': cannot list {}: {}", vnfId, devicesDirectory, e.toString());
            return;
        }
        for (LinkDevice device : devices.values()) {
            if (!device.unplugged && !present.contains(device.name)) {
                device.unplugged = true;
                LOG.info("VNF '{}': {} unplugged", vnfId, device);
            }
        }
        refused.keySet().retainAll(present);
        List<String> names = new ArrayList<>(present);
        names.sort(Comparator.naturalOrder());
        for (String name : names) {
            if (!devices.containsKey(name)) {
                plug(name);
            }
        }
        for (LinkDevice device : devices.values()) {
            if (!device.unplugged) {
                for (GuestPort port : ports) {
                    makeEnds(device, port);
                }
            }
        }
        sweep();
    }

    private void plug(String name) {
        Path entry = devicesDirectory.resolve(name);
        Object fileKey;
        try {
            // Follows the symlink: the identity of the region file it points to.
            fileKey = Files.readAttributes(entry, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            refuse(name, null, "its target cannot be read (" + e + ")");
            return;
        }
        if (refused.containsKey(name) && Objects.equals(refused.get(name), fileKey)) {
            return;
        }
        LinkRegion region;
        try {
            region = LinkRegion.attach(entry);
        } catch (IOException | RuntimeException e) {
            refuse(name, fileKey, "not a usable link region: " + e.getMessage());
            return;
        }
        boolean ours = false;
        for (GuestPort port : ports) {
            ours |= concerns(region, port);
        }
        if (!ours) {
            String wanted = describePorts();
            region.close();
            refuse(name, fileKey, "a link from port " + region.portA() + " to port " + region.portB() + " over pool '"
                    + region.poolName() + "' generation " + region.poolGeneration() + ", none of this VNF's ports ("
                    + wanted + ")");
            return;
        }
        LinkDevice device = new LinkDevice(name, entry, fileKey, region);
        devices.put(name, device);
        LOG.info("VNF '{}': {} plugged", vnfId, device);
    }

    private void refuse(String name, Object fileKey, String why) {
        if (refused.containsKey(name) && Objects.equals(refused.get(name), fileKey)) {
            return;
        }
        refused.put(name, fileKey);
        ignoredDevices = ignoredDevices + 1;
        LOG.warn("VNF '{}': ignoring device entry {}: {}", vnfId, devicesDirectory.resolve(name), why);
    }

    private String describePorts() {
        StringBuilder text = new StringBuilder();
        for (GuestPort port : ports) {
            text.append(text.isEmpty() ? "" : ", ").append("'").append(port.portName()).append("' = port ")
                    .append(port.portNumber()).append(" over pool '").append(port.poolName()).append("' generation ")
                    .append(port.poolGeneration());
        }
        return text.toString();
    }

    private static boolean concerns(LinkRegion region, GuestPort port) {
        return (region.portA() == port.portNumber() || region.portB() == port.portNumber())
                && region.poolName().equals(port.poolName()) && region.poolGeneration() == port.poolGeneration();
    }

    /** Direction 0 goes A ⇒ B, direction 1 (a pair) B ⇒ A: the port transmits on the one it starts. */
    private void makeEnds(LinkDevice device, GuestPort port) {
        LinkRegion region = device.region;
        if (!concerns(region, port)) {
            return;
        }
        for (int direction = 0; direction < region.directions(); direction++) {
            int from = direction == 0 ? region.portA() : region.portB();
            int to = direction == 0 ? region.portB() : region.portA();
            if (from == port.portNumber() && !device.hasEnd(port, direction, true)) {
                device.ends.add(new TxLink(port, device, direction, region.ring(direction, port.pool()),
                        port.linkCounters()));
            }
            if (to == port.portNumber() && !device.hasEnd(port, direction, false)) {
                device.ends.add(new RxLink(port, device, direction, region.ring(direction, port.pool()),
                        port.linkCounters()));
            }
        }
    }

    /** Logs phase changes, unmaps devices nobody uses, and publishes each port's current ends. */
    private void sweep() {
        for (Iterator<LinkDevice> it = devices.values().iterator(); it.hasNext(); ) {
            LinkDevice device = it.next();
            for (LinkEnd end : device.ends) {
                int shown = end.shownPhase;
                if (shown != end.loggedPhase) {
                    end.loggedPhase = shown;
                    LOG.info("VNF '{}': port '{}', {} direction {}: {}", vnfId, end.port.portName(), device,
                            end.direction, end.phaseName(shown));
                }
            }
            if (device.unplugged && device.allReleased()) {
                it.remove();
                device.region.close();
                LOG.info("VNF '{}': {} unmapped", vnfId, device);
            }
        }
        for (GuestPort port : ports) {
            publish(port);
        }
    }

    private void publish(GuestPort port) {
        TxLink tx = null;
        List<RxLink> rx = new ArrayList<>();
        for (LinkDevice device : devices.values()) {
            for (LinkEnd end : device.ends) {
                if (end.port != port || end.released) {
                    continue;
                }
                if (end instanceof TxLink candidate) {
                    // One transmitting end at a time: the oldest link still in use first.
                    if (tx == null || candidate.device.region.linkGeneration() < tx.device.region.linkGeneration()) {
                        tx = candidate;
                    }
                } else if (end instanceof RxLink reader) {
                    rx.add(reader);
                }
            }
        }
        RxLink[] readers = rx.toArray(RxLink[]::new);
        if (!port.links().sameAs(tx, readers)) {
            port.installLinks(new PortLinks(tx, readers));
        }
    }
}
