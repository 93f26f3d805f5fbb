package io.shunt.vswitchd.hostport;

import io.shunt.vswitchd.config.PortConfig;

/** The options of host ports, as {@code add-port ... options} gives them. */
public final class HostPortOptions {
    /** afpacket: the Linux interface to attach; the port's name when absent. */
    public static final String INTERFACE = "interface";

    private HostPortOptions() {
    }

    /** The interface an afpacket port drives. */
    public static String interfaceName(PortConfig port) {
        return port.options().getOrDefault(INTERFACE, port.name());
    }
}
