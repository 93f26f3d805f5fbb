package io.shunt.datapath.flow;

import static io.shunt.datapath.flow.FlowKeyLayout.WORDS;

import java.util.Arrays;

/**
 * Which bits of a {@link FlowKey} a megaflow matches: same shape as the key, a set bit
 * means "must equal". Immutable; it also keeps the indices of its non-zero words so a
 * megaflow subtable hashes and compares only those (OVS's miniflow idea).
 */
public final class FlowMask {
    /** Every bit significant: the exact-match mask. */
    public static final FlowMask EXACT = ofWords(filled(-1L));
    /** No bit significant: matches every key. */
    public static final FlowMask ANY = ofWords(filled(0L));

    final long[] words;
    final int[] nonZeroWords;

    private FlowMask(long[] words) {
        this.words = words;
        int n = 0;
        for (long w : words) {
            if (w != 0) {
                n++;
            }
        }
        nonZeroWords = new int[n];
        for (int i = 0, j = 0; i < WORDS; i++) {
            if (words[i] != 0) {
                nonZeroWords[j++] = i;
            }
        }
    }

    /** A mask from {@link FlowKeyLayout#WORDS} words (copied). */
    public static FlowMask ofWords(long[] words) {
        if (words.length != WORDS) {
            throw new IllegalArgumentException("a flow mask has " + WORDS + " words, got " + words.length);
        }
        return new FlowMask(words.clone());
    }

    public static Builder builder() {
        return new Builder();
    }

    public long word(int index) {
        return words[index];
    }

    /** How many words have a set bit: the cost of a subtable probe. */
    public int nonZeroWordCount() {
        return nonZeroWords.length;
    }

    /** Index of the i-th non-zero word. */
    public int nonZeroWord(int i) {
        return nonZeroWords[i];
    }

    /** The mask's bits of one field, right-aligned. */
    public long get(FlowField field) {
        return field.extract(words[field.word()]);
    }

    /** True if every bit set in this mask is set in {@code other}. */
    public boolean isSubsetOf(FlowMask other) {
        for (int i = 0; i < WORDS; i++) {
            if ((words[i] & ~other.words[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowMask m && Arrays.equals(words, m.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FlowMask[");
        for (int i = 0; i < WORDS; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%016x", words[i]));
        }
        return sb.append(']').toString();
    }

    private static long[] filled(long v) {
        long[] w = new long[WORDS];
        Arrays.fill(w, v);
        return w;
    }

    /** Builds a mask field by field (cold path: the classifier builds one mask per megaflow). */
    public static final class Builder {
        private final long[] words = new long[WORDS];

        private Builder() {
        }

        /** All bits of the fields. */
        public Builder exact(FlowField... fields) {
            for (FlowField f : fields) {
                words[f.word()] |= f.wordMask();
            }
            return this;
        }

        /** Some bits of a field ({@code bits} right-aligned, e.g. a /24 prefix of nw_src as 0xffffff00). */
        public Builder bits(FlowField field, long bits) {
            words[field.word()] |= (bits & field.valueMask()) << field.shift();
            return this;
        }

        /** Union with another mask (a classifier widens the mask with every table it looks at). */
        public Builder or(FlowMask other) {
            for (int i = 0; i < WORDS; i++) {
                words[i] |= other.words[i];
            }
            return this;
        }

        public FlowMask build() {
            return new FlowMask(words);
        }
    }
}
