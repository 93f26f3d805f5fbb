package io.shunt.ofproto;

/**
 * The switch's monotonic clock in nanoseconds: flow durations, timeouts,
 * meter buckets and packet-in rate limits all read it, and the datapath
 * stamps flow use with it. Tests inject a clock they advance by hand, so no
 * test sleeps for a timeout.
 */
@FunctionalInterface
public interface SwitchClock {
    long nanos();

    static SwitchClock system() {
        return System::nanoTime;
    }
}
