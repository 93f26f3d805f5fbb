package io.shunt.datapath.port;

/**
 * States of one direct link A⇒B (DESIGN.md section 4), as stored in the port and link
 * control blocks for observers ({@code shunt-ctl links}). The transitions are driven by
 * vswitchd; the codes are part of the shared-memory layout.
 */
public enum LinkState {
    /** No link: A transmits on its port tx ring. */
    NORMAL(0),
    /** The link region exists and is being plugged into both VNFs. */
    PLUGGING(1),
    /** A was asked to (or did) move its transmit side to the link ring. */
    TX_SWITCHED(2),
    /** The fence for B is published: B drains its rx ring up to it, then reads the link. */
    FENCED(3),
    /** Traffic A⇒B flows on the link ring only. */
    DIRECT(4),
    /** A was asked to move back to its tx ring; the link drains before the normal path resumes. */
    REVERTING(5);

    private final int code;

    LinkState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The state with this code, or {@code null} if the code is unknown (a corrupt word). */
    public static LinkState fromCode(int code) {
        for (LinkState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        return null;
    }
}
