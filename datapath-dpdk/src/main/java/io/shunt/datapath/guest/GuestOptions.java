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
     * This process's pid, a cache of {@value PoolCache#DEFAULT_SIZE} buffers, a region check
     * every second, vnf-id {@code pid-<pid>}, the default device root.
     */
    public static GuestOptions defaults() {
        return new GuestOptions(ProcessHandle.current().pid(), PoolCache.DEFAULT_SIZE, Duration.ofSeconds(1), null,
                null);
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
