package io.shunt.datapath.engine;

/**
 * What a PMD thread does after a round that found no work (DESIGN.md section 3): busy-poll
 * {@code spinPolls} rounds, yield for {@code yieldPolls} more, then park, starting at 1
 * microsecond and doubling up to {@code parkMicros}. Changeable while the engine runs
 * ({@link ForwardingEngine#setIdlePolicy}); each PMD takes the new policy at its next round.
 */
public record IdlePolicy(int spinPolls, int yieldPolls, int parkMicros) {
    public IdlePolicy {
        if (spinPolls < 0 || yieldPolls < 0 || parkMicros < 1) {
            throw new IllegalArgumentException("bad idle policy: " + spinPolls + " spins, " + yieldPolls
                    + " yields, park up to " + parkMicros + " us (at least 1)");
        }
    }
}
