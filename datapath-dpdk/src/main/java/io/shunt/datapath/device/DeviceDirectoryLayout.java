package io.shunt.datapath.device;

import java.nio.file.Path;
import java.util.Map;

/**
 * The process device directory (DESIGN.md section 5, contract-links.md section 1): what
 * stands for the PCI bus of a VNF that runs as a host process. One place for its names; the
 * guest shim ({@code io.shunt.datapath.guest}) registers and watches it, the compute agent's
 * process driver ({@code io.shunt.ivshmem.ProcessDeviceDirectory}) plugs and unplugs.
 *
 * <pre>
 * &lt;root&gt;/&lt;vnf-id&gt;/pid              the VNF's pid + "\n" (written to a temporary file, then renamed)
 * &lt;root&gt;/&lt;vnf-id&gt;/ports/&lt;port&gt;     symlink to the port region file, one per attached port
 * &lt;root&gt;/&lt;vnf-id&gt;/devices/&lt;dev&gt;    symlink to a link region file: one plugged device
 * </pre>
 *
 * Plugging creates {@code devices/.<dev>.tmp} and renames it to {@code devices/<dev>} (atomic);
 * unplugging unlinks {@code devices/<dev>}. Entries whose name starts with a dot are
 * temporaries and mean nothing. {@code <dev>} is the link region's name; the region header
 * identifies the device, the entry is never trusted beyond pointing at a file.
 */
public final class DeviceDirectoryLayout {
    /** Name of the default root under the region directory. */
    public static final String DEFAULT_ROOT_NAME = "shunt-devices";
    /** Environment variable that overrides the root (the guest's {@code deviceRoot} option wins over it). */
    public static final String ROOT_ENVIRONMENT_VARIABLE = "SHUNT_DEVICE_ROOT";
    /** File holding the VNF's pid. */
    public static final String PID_FILE = "pid";
    /** Directory of port registrations. */
    public static final String PORTS_DIRECTORY = "ports";
    /** Directory of plugged devices. */
    public static final String DEVICES_DIRECTORY = "devices";
    /** Prefix of the vnf-id derived from a pid. */
    public static final String PID_VNF_ID_PREFIX = "pid-";
    /** Prefix of temporary entries (a plug in progress, a pid file being written). */
    public static final String TEMPORARY_PREFIX = ".";
    /** Suffix of temporary entries. */
    public static final String TEMPORARY_SUFFIX = ".tmp";
    /** Longest name of one path component on Linux. */
    private static final int MAX_NAME_LENGTH = 255;

    private DeviceDirectoryLayout() {
    }

    /** {@code <regionDirectory>/shunt-devices}. */
    public static Path defaultRoot(Path regionDirectory) {
        return regionDirectory.resolve(DEFAULT_ROOT_NAME);
    }

    /**
     * The root to use: {@code configured} if not null, else {@link #ROOT_ENVIRONMENT_VARIABLE}
     * from {@code environment} if set and not blank, else {@link #defaultRoot}.
     */
    public static Path resolveRoot(Path configured, Map<String, String> environment, Path regionDirectory) {
        if (configured != null) {
            return configured;
        }
        String fromEnvironment = environment.get(ROOT_ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        return defaultRoot(regionDirectory);
    }

    /** The vnf-id: {@code configured} if not null, else {@code pid-<pid>}. */
    public static String vnfId(String configured, long pid) {
        if (configured != null) {
            checkName("vnf id", configured);
            return configured;
        }
        return PID_VNF_ID_PREFIX + pid;
    }

    /** The pid a {@code pid-<pid>} vnf-id stands for, or -1 for any other vnf-id. */
    public static long pidOfDerivedVnfId(String vnfId) {
        if (!vnfId.startsWith(PID_VNF_ID_PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(vnfId.substring(PID_VNF_ID_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static Path vnfDirectory(Path root, String vnfId) {
        return root.resolve(checkName("vnf id", vnfId));
    }

    public static Path pidFile(Path root, String vnfId) {
        return vnfDirectory(root, vnfId).resolve(PID_FILE);
    }

    public static Path portsDirectory(Path root, String vnfId) {
        return vnfDirectory(root, vnfId).resolve(PORTS_DIRECTORY);
    }

    public static Path portEntry(Path root, String vnfId, String port) {
        return portsDirectory(root, vnfId).resolve(checkName("port", port));
    }

    public static Path devicesDirectory(Path root, String vnfId) {
        return vnfDirectory(root, vnfId).resolve(DEVICES_DIRECTORY);
    }

    public static Path deviceEntry(Path root, String vnfId, String device) {
        return devicesDirectory(root, vnfId).resolve(checkName("device", device));
    }

    /** The temporary name a plug writes before renaming it to {@link #deviceEntry}. */
    public static Path temporaryDeviceEntry(Path root, String vnfId, String device) {
        return devicesDirectory(root, vnfId).resolve(temporaryName(checkName("device", device)));
    }

    /** {@code .<name>.tmp}. */
    public static String temporaryName(String name) {
        return TEMPORARY_PREFIX + name + TEMPORARY_SUFFIX;
    }

    /** Whether a directory entry is a temporary (to be ignored by readers). */
    public static boolean isTemporary(String entryName) {
        return entryName.startsWith(TEMPORARY_PREFIX);
    }

    /**
     * Checks that {@code name} is usable as one path component: not empty, not {@code .} or
     * {@code ..}, not starting with a dot (reserved for temporaries), no {@code /} or NUL,
     * at most 255 characters. Returns it.
     *
     * @throws IllegalArgumentException naming what was wrong and what {@code kind} of name it was
     */
    public static String checkName(String kind, String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.startsWith(TEMPORARY_PREFIX)
                || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(kind + " name '" + name + "' is not usable in the device directory:"
                    + " expected 1.." + MAX_NAME_LENGTH + " characters, no '/', no NUL, not starting with '.'");
        }
        return name;
    }
}
