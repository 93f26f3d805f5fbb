package io.shunt.agent.driver;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shunt.ivshmem.DeviceConflictException;
import io.shunt.ivshmem.ProcessDevice;
import io.shunt.ivshmem.ProcessDeviceDirectory;
import io.shunt.ivshmem.ProcessVnf;

/**
 * The driver of VNFs that run as host processes (or containers sharing the host's
 * {@code /dev/shm}): a port's owner is the live VNF whose registration in the process device
 * directory lists it; plugging writes a device entry there
 * ({@link ProcessDeviceDirectory}).
 *
 * <p>Device events: a scan every {@code watchInterval} compares the plugged devices with the
 * previous scan; a device that vanished without {@link #unplug} (its VNF died or
 * unregistered, or someone removed the entry) is reported.
 */
public final class ProcessDriver implements ComputeDriver {
    public static final String NAME = "process";
    private static final Logger LOG = LoggerFactory.getLogger(ProcessDriver.class);

    private final ProcessDeviceDirectory directory;
    private final Duration watchInterval;
    private final Object scanLock = new Object();
    private ScheduledExecutorService watcher;
    /** Devices known plugged, by VNF and device name; guarded by scanLock. */
    private Map<Key, PluggedDevice> lastScan = Map.of();

    private record Key(String vnf, String device) {
    }

    public ProcessDriver(ProcessDeviceDirectory directory, Duration watchInterval) {
        this.directory = directory;
        this.watchInterval = watchInterval;
    }

    @Override
    public String name() {
        return NAME;
    }

    public ProcessDeviceDirectory directory() {
        return directory;
    }

    @Override
    public List<PortOwner> ports() throws DriverException {
        List<PortOwner> owners = new ArrayList<>();
        for (ProcessVnf vnf : vnfs()) {
            for (String port : vnf.ports().keySet()) {
                owners.add(new PortOwner(port, vnf.id(), NAME, vnf.pid()));
            }
        }
        return owners;
    }

    @Override
    public Optional<PortOwner> owner(String port) throws DriverException {
        try {
            return directory.owner(port).map(vnf -> new PortOwner(port, vnf.id(), NAME, vnf.pid()));
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    @Override
    public PlugResult plug(PortOwner owner, String device, Path region) throws DriverException {
        ProcessVnf vnf = liveVnf(owner, device);
        try {
            ProcessDeviceDirectory.PlugOutcome outcome;
            synchronized (scanLock) {
                // Under the scan lock, so that the watcher knows the device from now on: a VNF that
                // dies right after the plug is reported even before the next scan saw the entry.
                outcome = directory.plug(vnf, device, region);
                Map<Key, PluggedDevice> next = new HashMap<>(lastScan);
                next.putIfAbsent(new Key(vnf.id(), device),
                        new PluggedDevice(owner.port(), vnf.id(), device, region.normalize(), NAME));
                lastScan = Map.copyOf(next);
            }
            return new PlugResult(owner, device, region, outcome == ProcessDeviceDirectory.PlugOutcome.ALREADY_PLUGGED);
        } catch (DeviceConflictException e) {
            throw new DriverException(DriverException.Kind.CONFLICT, "port " + owner.port() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DriverException(DriverException.Kind.FAILED, "port " + owner.port() + ": writing device entry "
                    + device + " for VNF " + vnf.id() + " in " + vnf.devicesDirectory() + " failed: " + e, e);
        }
    }

    @Override
    public void unplug(PortOwner owner, String device) throws DriverException {
        ProcessVnf vnf = liveVnf(owner, device);
        boolean removed;
        try {
            synchronized (scanLock) {
                // Under the scan lock: a scan between the unlink and this update would report
                // the agent's own unplug as a device that went away.
                removed = directory.unplug(vnf, device);
                Map<Key, PluggedDevice> next = new HashMap<>(lastScan);
                next.remove(new Key(vnf.id(), device));
                lastScan = Map.copyOf(next);
            }
        } catch (IOException e) {
            throw new DriverException(DriverException.Kind.FAILED, "port " + owner.port() + ": removing device entry "
                    + device + " of VNF " + vnf.id() + " failed: " + e, e);
        }
        if (!removed) {
            throw new DriverException(DriverException.Kind.NOT_FOUND, "device " + device + " is not plugged into VNF "
                    + vnf.id() + " (port " + owner.port() + ")");
        }
    }

    @Override
    public List<PluggedDevice> devices() throws DriverException {
        List<PluggedDevice> plugged = new ArrayList<>();
        try {
            for (ProcessDevice device : directory.devices()) {
                if (device.ports().isEmpty()) {
                    plugged.add(new PluggedDevice(null, device.vnf().id(), device.device(), device.region(), NAME));
                }
                for (String port : device.ports()) {
                    plugged.add(new PluggedDevice(port, device.vnf().id(), device.device(), device.region(), NAME));
                }
            }
        } catch (IOException e) {
            throw unreadable(e);
        }
        return plugged;
    }

    @Override
    public synchronized void watch(DeviceListener listener) {
        if (watcher != null) {
            throw new IllegalStateException("process driver: watch() called twice");
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "process-driver-watch");
            thread.setDaemon(true);
            return thread;
        });
        scan(null);
        watcher.scheduleWithFixedDelay(() -> scan(listener), watchInterval.toMillis(), watchInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void scan(DeviceListener listener) {
        try {
            synchronized (scanLock) {
                Map<Key, PluggedDevice> now = new HashMap<>();
                for (PluggedDevice device : devices()) {
                    now.putIfAbsent(new Key(device.vnf(), device.device()), device);
                }
                Set<String> liveVnfs = new HashSet<>();
                for (ProcessVnf vnf : vnfs()) {
                    liveVnfs.add(vnf.id());
                }
                if (listener != null) {
                    for (Map.Entry<Key, PluggedDevice> before : lastScan.entrySet()) {
                        if (!now.containsKey(before.getKey())) {
                            String reason = liveVnfs.contains(before.getKey().vnf())
                                    ? "its device entry was removed outside the agent"
                                    : "VNF " + before.getKey().vnf() + " is gone (process dead or unregistered)";
                            listener.deviceRemoved(before.getValue(), reason);
                        }
                    }
                }
                lastScan = Map.copyOf(now);
            }
        } catch (DriverException | RuntimeException e) {
            LOG.warn("process driver: device scan of {} failed: {}", directory.root(), e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }

    private List<ProcessVnf> vnfs() throws DriverException {
        try {
            return directory.vnfs();
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private ProcessVnf liveVnf(PortOwner owner, String device) throws DriverException {
        try {
            return directory.vnf(owner.vnf())
                    .filter(vnf -> vnf.ports().containsKey(owner.port()))
                    .orElseThrow(() -> new DriverException(DriverException.Kind.NOT_FOUND, "VNF " + owner.vnf()
                            + " that owned port " + owner.port() + " is gone (device " + device + ")"));
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private DriverException unreadable(IOException e) {
        return new DriverException(DriverException.Kind.UNAVAILABLE, "process device directory " + directory.root()
                + " cannot be read: " + e, e);
    }
}
