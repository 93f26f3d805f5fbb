package io.shunt.ofproto.flow;

import io.shunt.ofproto.classifier.KeyLayout;
import java.util.Arrays;
import org.projectfloodlight.openflow.protocol.match.Match;

/**
 * A validated OpenFlow match in classifier form: value and mask words of
 * {@link KeyLayout}, plus the Loxi match it came from (replied in flow
 * statistics as the controller wrote it).
 */
public record CompiledMatch(long[] value, long[] mask, Match match) {

    public CompiledMatch {
        if (value.length != KeyLayout.WORDS || mask.length != KeyLayout.WORDS) {
            throw new IllegalArgumentException("expected " + KeyLayout.WORDS + " words");
        }
    }

    /** True when the match constrains nothing (matches every packet). */
    public boolean isCatchAll() {
        for (long m : mask) if (m != 0) return false;
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompiledMatch c && Arrays.equals(value, c.value) && Arrays.equals(mask, c.mask);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(value) + Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
        return match.toString();
    }
}
