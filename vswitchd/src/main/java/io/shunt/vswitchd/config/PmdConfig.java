package io.shunt.vswitchd.config;

/**
 * Poll-mode thread settings. An idle PMD thread spins {@code spinPolls}
 * empty polls, then yields for {@code yieldPolls} more, then parks for
 * {@code parkMicros} between polls, so that a 2-core machine is not starved
 * (DESIGN.md section 3).
 */
public record PmdConfig(int threads, int burst, int spinPolls, int yieldPolls, int parkMicros) {

    public static final PmdConfig DEFAULT = new PmdConfig(1, 32, 1_000, 1_000, 50);

    public PmdConfig {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("pmd threads " + threads + " outside 1..64");
        }
        if (burst < 1 || burst > 256) {
            throw new IllegalArgumentException("pmd burst " + burst + " outside 1..256");
        }
        if (spinPolls < 0 || yieldPolls < 0 || parkMicros < 0) {
            throw new IllegalArgumentException("pmd idle policy values must not be negative");
        }
    }
}
