package io.shunt.vswitchd.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of port a bridge can hold (DESIGN.md section 3). */
public enum PortType {
    /** A VNF port: a port region with an rx and a tx ring in shared memory. */
    DPDKR,
    /** An existing Linux interface through a TPACKET_V3 AF_PACKET socket. */
    AFPACKET,
    /** A TAP device for the host stack (the bridge's LOCAL port). */
    INTERNAL,
    /** One end of a pair joining two bridges of this vswitchd. */
    PATCH;

    /** The lower-case name used on the command line and in JSON ("dpdkr"). */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static PortType fromWireName(String name) {
        for (PortType type : values()) {
            if (type.wireName().equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown port type '" + name + "' (expected dpdkr, afpacket, internal or patch)");
    }
}
