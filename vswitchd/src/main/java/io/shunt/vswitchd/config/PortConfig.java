package io.shunt.vswitchd.config;

import java.util.Map;
import java.util.Objects;

/**
 * One port of a bridge as configured: its name, type, OpenFlow port number
 * (allocated once and kept across restarts), type-specific options (e.g.
 * {@code peer} for a patch port, {@code mode} for a dpdkr region file), and
 * whether it may take part in direct links.
 */
public record PortConfig(String name, PortType type, int ofport, Map<String, String> options, boolean directLinks) {

    /** The highest port number handed out: 16 bits below OpenFlow 1.0's reserved range, as Open vSwitch does. */
    public static final int MAX_OFPORT = 0xfeff;

    public PortConfig {
        Objects.requireNonNull(name, "port name");
        Objects.requireNonNull(type, "port type");
        options = Map.copyOf(options == null ? Map.of() : options);
        if (!ConfigNames.isValid(name)) {
            throw new IllegalArgumentException("invalid port name '" + name + "': " + ConfigNames.RULE);
        }
        if (ofport < 1 || ofport > MAX_OFPORT) {
            throw new IllegalArgumentException("port " + name + ": OpenFlow port number " + ofport + " is outside 1.." + MAX_OFPORT);
        }
    }

    public PortConfig withDirectLinks(boolean enabled) {
        return new PortConfig(name, type, ofport, options, enabled);
    }
}
