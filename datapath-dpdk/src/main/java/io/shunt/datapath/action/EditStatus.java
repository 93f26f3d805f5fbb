package io.shunt.datapath.action;

/**
 * What a packet edit returns. Anything but {@link #OK} leaves the frame unchanged; the
 * caller drops the packet and counts the reason (or, for {@link #TTL_EXPIRED}, hands it
 * to the controller as OpenFlow's invalid-TTL packet-in).
 */
public final class EditStatus {
    /** The edit was applied. */
    public static final int OK = 0;
    /** The frame does not carry the header the edit needs (e.g. set IPv4 src on an ARP frame). */
    public static final int NOT_APPLICABLE = 1;
    /** The header is cut short or its length fields are inconsistent with the frame. */
    public static final int TRUNCATED = 2;
    /** A push needs more headroom than the buffer has before the frame. */
    public static final int NO_HEADROOM = 3;
    /** A TTL decrement found a TTL of 0 or 1: the packet must not be forwarded. */
    public static final int TTL_EXPIRED = 4;

    private EditStatus() {
    }

    /** A name for logs and counters. */
    public static String name(int status) {
        return switch (status) {
            case OK -> "ok";
            case NOT_APPLICABLE -> "not-applicable";
            case TRUNCATED -> "truncated";
            case NO_HEADROOM -> "no-headroom";
            case TTL_EXPIRED -> "ttl-expired";
            default -> "unknown(" + status + ")";
        };
    }
}
