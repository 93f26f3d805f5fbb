package io.shunt.datapath.engine;

/** Why the engine dropped a packet; each reason has its own counter in {@link PmdStats}. */
public enum DropReason {
    /** The program said so (no output, or an explicit drop). */
    NO_ACTION,
    /** A table miss without a controller to send it to. */
    TABLE_MISS,
    /** An action this datapath cannot execute on this packet. */
    UNSUPPORTED,
    /** A meter band refused it. */
    METER,
    /** An edit failed (truncated header, no headroom, TTL expired). */
    EDIT_FAILED,
    /** No free buffer for a copy (flood, clone, packet-out). */
    NO_BUFFER,
    /** The output port does not exist (any more). */
    NO_PORT,
    /** The input port does not receive (OpenFlow NO_RECV or PORT_DOWN). */
    RX_DISABLED
}
