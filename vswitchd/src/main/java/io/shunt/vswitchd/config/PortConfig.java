package io.shunt.vswitchd.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;
import java.util.Objects;

/**
 * One port of a bridge as configured: its name, type, OpenFlow port number
 * (allocated once and kept across restarts), type-specific options (e.g.
 * {@code peer} for a patch port, {@code mode} for a dpdkr region file), and
 * whether it may take part in direct links. An internal port named like its bridge is the
 * bridge's LOCAL port (as in Open vSwitch): its number is {@link #LOCAL_OFPORT}, stored as
 * the signed 32-bit value of OFPP_LOCAL (-2), and it takes no ordinary number.
 */
public record PortConfig(String name, PortType type, int ofport, Map<String, String> options, boolean directLinks) {

    /** The highest port number handed out: 16 bits below OpenFlow 1.0's reserved range, as Open vSwitch does. */
    public static final int MAX_OFPORT = 0xfeff;
    /** OpenFlow's OFPP_LOCAL: the number of the bridge's own port (the internal port named like the bridge). */
    public static final int LOCAL_OFPORT = 0xffff_fffe;

    public PortConfig {
        Objects.requireNonNull(name, "port name");
        Objects.requireNonNull(type, "port type");
        options = Map.copyOf(options == null ? Map.of() : options);
        if (!ConfigNames.isValid(name)) {
            throw new IllegalArgumentException("invalid port name '" + name + "': " + ConfigNames.RULE);
        }
        if (ofport == LOCAL_OFPORT) {
            if (type != PortType.INTERNAL) {
                throw new IllegalArgumentException("port " + name + ": only an internal port can be LOCAL (OFPP_LOCAL),"
                        + " not a " + type.wireName() + " port");
            }
        } else if (ofport < 1 || ofport > MAX_OFPORT) {
            throw new IllegalArgumentException("port " + name + ": OpenFlow port number " + ofport + " is outside 1.." + MAX_OFPORT);
        }
    }

    /** Whether this is its bridge's LOCAL port (derived from the number, so not stored). */
    @JsonIgnore
    public boolean isLocal() {
        return ofport == LOCAL_OFPORT;
    }

    public PortConfig withDirectLinks(boolean enabled) {
        return new PortConfig(name, type, ofport, options, enabled);
    }
}
