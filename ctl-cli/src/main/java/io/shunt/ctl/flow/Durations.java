package io.shunt.ctl.flow;

/**
 * Durations as ovs-ofctl prints them (ofp_print_duration): whole seconds
 * with no decimals, three decimals when the fraction is whole milliseconds,
 * else as many as needed.
 */
public final class Durations {

    private Durations() {
    }

    public static String format(long seconds, long nanos) {
        if (nanos <= 0) {
            return Long.toString(seconds);
        }
        if (nanos % 1_000_000 == 0) {
            return String.format("%d.%03d", seconds, nanos / 1_000_000);
        }
        String frac = String.format("%09d", nanos);
        int end = frac.length();
        while (end > 0 && frac.charAt(end - 1) == '0') {
            end--;
        }
        return seconds + "." + frac.substring(0, end);
    }
}
