package io.shunt.p2p;

/**
 * Why a port is, or is not, the source A of a direct path, in the order the detector checks
 * (the first failing check names the verdict). See {@code docs/p2p-detector.md}.
 */
public enum PathVerdict {
    /** A⇒B holds. */
    DIRECT_PATH,
    /** A is not a port of the bridge (any more). */
    SOURCE_PORT_REMOVED,
    /** A is not a {@code dpdkr} port (or is a reserved port). */
    SOURCE_NOT_DPDKR,
    /** A is down or does not forward (see {@link io.shunt.p2p.model.PortView#up()}). */
    SOURCE_PORT_DOWN,
    /** Some table reached by A's packets has no entry that can match them: table-miss, drop. */
    NO_MATCHING_ENTRY,
    /**
     * In some table reached by A's packets, the highest-priority entries that can match them
     * are not one single entry matching all of them: an entry matching other fields (so only
     * some of A's packets), or several entries of the same priority (order undefined).
     */
    OVERLAPPING_ENTRY,
    /**
     * The decisive entries do something other than output each packet once, unmodified, to a
     * non-reserved port: modify, push/pop, group, meter, controller, a reserved port, a
     * second output, no output (drop), or another instruction.
     */
    NOT_A_PLAIN_OUTPUT,
    /** The single output is to A itself, which OpenFlow drops (output to the ingress port). */
    OUTPUT_TO_IN_PORT,
    /** B is not a port of the bridge (any more). */
    TARGET_PORT_REMOVED,
    /** B is not a {@code dpdkr} port. */
    TARGET_NOT_DPDKR,
    /** B is in another trust domain than A. */
    TARGET_OTHER_TRUST_DOMAIN,
    /** B is down or does not forward. */
    TARGET_PORT_DOWN
}
