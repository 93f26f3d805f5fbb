package io.shunt.p2p.model;

/**
 * OpenFlow 1.3 port numbers (spec section 7.2.1, {@code enum ofp_port_no}). Port numbers are
 * unsigned 32-bit values held in a Java {@code int}; compare them with
 * {@link Integer#compareUnsigned}. OpenFlow 1.0's 16-bit numbers map to these by the usual
 * rule ({@code 0xff00..0xffff} become {@code 0xffffff00..0xffffffff}); the adapter does it.
 */
public final class PortNumbers {
    /** Highest number of a physical (non-reserved) port. */
    public static final int MAX = 0xffffff00;
    /** Output to the packet's own ingress port. */
    public static final int IN_PORT = 0xfffffff8;
    /** Submit the packet to the first flow table (packet-out only). */
    public static final int TABLE = 0xfffffff9;
    /** The traditional non-OpenFlow pipeline. */
    public static final int NORMAL = 0xfffffffa;
    /** Flood along the spanning tree, excluding the ingress port. */
    public static final int FLOOD = 0xfffffffb;
    /** All ports except the ingress port. */
    public static final int ALL = 0xfffffffc;
    /** Send to the controller. */
    public static final int CONTROLLER = 0xfffffffd;
    /** The switch's local networking stack. */
    public static final int LOCAL = 0xfffffffe;
    /** Wildcard port (flow-mod and stats filters only). */
    public static final int ANY = 0xffffffff;

    private PortNumbers() {
    }

    /**
     * Whether {@code port} is one of the reserved numbers above {@link #MAX}: such a port is a
     * forwarding rule of the switch, never one VNF, so it is never the B of a direct path.
     */
    public static boolean isReserved(int port) {
        return Integer.compareUnsigned(port, MAX) > 0;
    }

    /** The port as OpenFlow tools print it: a decimal number or the reserved name. */
    public static String format(int port) {
        return switch (port) {
            case IN_PORT -> "IN_PORT";
            case TABLE -> "TABLE";
            case NORMAL -> "NORMAL";
            case FLOOD -> "FLOOD";
            case ALL -> "ALL";
            case CONTROLLER -> "CONTROLLER";
            case LOCAL -> "LOCAL";
            case ANY -> "ANY";
            default -> Integer.toUnsignedString(port);
        };
    }
}
