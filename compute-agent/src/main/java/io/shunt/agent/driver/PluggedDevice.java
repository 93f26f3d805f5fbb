package io.shunt.agent.driver;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A device plugged into a VNF, seen from one of the VNF's ports that the link joins.
 *
 * @param port   a port of the VNF that is an end of the link ({@code null} if the driver cannot tell)
 * @param vnf    the VNF
 * @param device the device (link region) name
 * @param region the region file
 * @param driver the driver's name
 */
public record PluggedDevice(String port, String vnf, String device, Path region, String driver) {
    public PluggedDevice {
        Objects.requireNonNull(vnf, "vnf");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(driver, "driver");
    }
}
