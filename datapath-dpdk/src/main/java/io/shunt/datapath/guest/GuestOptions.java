package io.shunt.datapath.guest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.shunt.datapath.device.DeviceDirectoryLayout;
import io.shunt.datapath.pool.PoolCache;

/**
 * How a {@link GuestPort} attaches.
 *
 * @param announcedPid        pid written into the port's control block (the switch uses it to
 *                            tell a dead VNF from a slow one); 0 inside a VM, where host pids
 *                            mean nothing
 * @param cacheSize           size of the per-thread pool cache ({@link PoolCache})
 * @param regionCheckInterval how often the shim checks whether the switch re-created the port
 *                            region (a file system look-up, off the per-packet path); zero
 *                            disables the check
 * @param vnfId               this VNF's name in the device directory, or {@code null} for
 *                            {@code pid-<pid>} ({@link DeviceDirectoryLayout#vnfId}); every port
 *                            of one process must use the same
 * @param deviceRoot          the device directory root, or {@code null} for
 *                            {@code $SHUNT_DEVICE_ROOT}, else {@code <region directory>/shunt-devices}
 */
public record GuestOptions(long announcedPid, int cacheSize, Duration regionCheckInterval, String vnfId,
                           Path deviceRoot) {
    public GuestOptions {
        Objects.requireNonNull(regionCheckInterval, "regionCheckInterval");
        if (announcedPid < 0 || cacheSize < 1 || regionCheckInterval.isNegative()) {
            throw new IllegalArgumentException("guest options: pid " + announcedPid + ", cache " + cacheSize
                    + ", region check every " + regionCheckInterval);
        }
        if (vnfId != null) {
            DeviceDirectoryLayout.checkName("vnf id", vnfId);
        }
    }

    /**
     * System property: {@code true} in a VNF that runs inside a virtual machine (set by the
     * guest image's launcher, io.shunt.vnf.VmMain). Its pid means nothing on the host, where
     * the switch would look it up in /proc and find it dead: {@link #defaults()} then
     * announces pid 0, which the switch reads as "liveness from heartbeats and the agent".
     */
    public static final String IN_VM_PROPERTY = "shunt.guest.vm";

    /**
     * This process's pid (0 when {@value #IN_VM_PROPERTY} is true), a cache of
     * {@value PoolCache#DEFAULT_SIZE} buffers, a region check every second, vnf-id
     * {@code pid-<pid>}, the default device root.
     */
    public static GuestOptions defaults() {
        long announced = Boolean.getBoolean(IN_VM_PROPERTY) ? 0 : ProcessHandle.current().pid();
        return new GuestOptions(announced, PoolCache.DEFAULT_SIZE, Duration.ofSeconds(1), null, null);
    }

    public GuestOptions withAnnouncedPid(long pid) {
        return new GuestOptions(pid, cacheSize, regionCheckInterval, vnfId, deviceRoot);
    }

    public GuestOptions withRegionCheckInterval(Duration interval) {
        return new GuestOptions(announcedPid, cacheSize, interval, vnfId, deviceRoot);
    }

    public GuestOptions withVnfId(String id) {
        return new GuestOptions(announcedPid, cacheSize, regionCheckInterval, id, deviceRoot);
    }

    public GuestOptions withDeviceRoot(Path root) {
        return new GuestOptions(announcedPid, cacheSize, regionCheckInterval, vnfId, root);
    }
}
