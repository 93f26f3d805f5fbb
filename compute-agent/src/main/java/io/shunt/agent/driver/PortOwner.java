package io.shunt.agent.driver;

import java.util.Objects;

/**
 * The VNF that owns a port, as a driver sees it.
 *
 * @param port   the port name (as in vswitchd's configuration)
 * @param vnf    the driver's name for the VNF: a vnf-id for processes, a domain name for libvirt
 * @param driver the driver's {@link ComputeDriver#name()}
 * @param pid    the host pid of the VNF process, if the driver knows one (0: none)
 */
public record PortOwner(String port, String vnf, String driver, long pid) {
    public PortOwner {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(vnf, "vnf");
        Objects.requireNonNull(driver, "driver");
    }
}
