package io.shunt.vswitchd.hostport;

import io.shunt.vswitchd.config.PortConfig;

/** The options of host ports, as {@code add-port ... options} gives them. */
public final class HostPortOptions {
    /** afpacket: the Linux interface to attach; the port's name when absent. */
    public static final String INTERFACE = "interface";
    /** patch: the name of the patch port at the other end (on this bridge or another). */
    public static final String PEER = "peer";

    private HostPortOptions() {
    }

    /** The interface an afpacket port drives. */
    public static String interfaceName(PortConfig port) {
        return port.options().getOrDefault(INTERFACE, port.name());
    }
}
