package io.shunt.p2p;

/** Why a direct path ended. */
public enum EndReason {
    /** A's traffic now goes, unmodified and only, to another port C (A⇒C is reported up). */
    TARGET_CHANGED,
    SOURCE_PORT_REMOVED,
    SOURCE_NOT_DPDKR,
    SOURCE_PORT_DOWN,
    NO_MATCHING_ENTRY,
    OVERLAPPING_ENTRY,
    NOT_A_PLAIN_OUTPUT,
    OUTPUT_TO_IN_PORT,
    TARGET_PORT_REMOVED,
    TARGET_NOT_DPDKR,
    TARGET_OTHER_TRUST_DOMAIN,
    TARGET_PORT_DOWN;

    /** The end reason for a path whose source now has {@code verdict} (not a direct path). */
    public static EndReason of(PathVerdict verdict) {
        if (verdict == PathVerdict.DIRECT_PATH) {
            throw new IllegalArgumentException("a path that still holds has no end reason");
        }
        return valueOf(verdict.name());
    }
}
