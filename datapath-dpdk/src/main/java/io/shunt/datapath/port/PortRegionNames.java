package io.shunt.datapath.port;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.shunt.datapath.region.RegionHeaderLayout;

/**
 * How the region of a {@code dpdkr} port is named, so that the switch (which creates it) and
 * the guest shim (which attaches it by port name) agree: port {@code dpdkr1} lives in region
 * {@code shunt-port-dpdkr1}, i.e. the file {@code <region directory>/shunt-port-dpdkr1}. The
 * region name is also what a guest finds in the header of the hot-plugged ivshmem device.
 */
public final class PortRegionNames {
    /** Prefix of every port region name. */
    public static final String PREFIX = "shunt-port-";
    /** Longest port name that still fits the region header's name field. */
    public static final int MAX_PORT_NAME_BYTES = RegionHeaderLayout.NAME_LENGTH - PREFIX.length();

    private PortRegionNames() {
    }

    /**
     * The region name of port {@code portName}.
     *
     * @throws IllegalArgumentException if the port name is empty, too long, or holds a '/' or NUL
     */
    public static String regionName(String portName) {
        if (portName == null || portName.isEmpty() || portName.contains("/") || portName.indexOf('\0') >= 0
                || portName.getBytes(StandardCharsets.UTF_8).length > MAX_PORT_NAME_BYTES) {
            throw new IllegalArgumentException("port name must be 1-" + MAX_PORT_NAME_BYTES
                    + " UTF-8 bytes without '/' or NUL: '" + portName + "'");
        }
        return PREFIX + portName;
    }

    /** The file of port {@code portName}'s region in {@code regionDirectory}. */
    public static Path regionFile(Path regionDirectory, String portName) {
        return regionDirectory.resolve(regionName(portName));
    }

    /** The port name of a region name made by {@link #regionName}, or {@code null} if it is not one. */
    public static String portName(String regionName) {
        return regionName != null && regionName.startsWith(PREFIX) && regionName.length() > PREFIX.length()
                ? regionName.substring(PREFIX.length()) : null;
    }
}
