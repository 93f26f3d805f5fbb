package io.shunt.ofproto.classifier;

import java.util.Arrays;

/**
 * A rule as the classifier sees it: a masked value over the {@link KeyLayout}
 * words, a priority, and the range of table versions in which it is
 * visible.
 *
 * <p>Versions make a change of many rules atomic for readers (a bundle
 * commit, a non-strict modify of thousands of entries): the writer adds
 * rules with {@code addVersion = next} and marks removed ones with
 * {@code removeVersion = next} while readers still look up at the published
 * version, then publishes {@code next} with one release store (OVS's
 * versioned classifier does the same).
 */
public abstract class ClassifierRule {
    /** Masked value: {@code value[i] == value[i] & mask[i]} for every word. */
    final long[] value;
    /**
     * The mask; on insertion re-pointed to its subtable's copy (same words),
     * so that the rules of one subtable share one array instead of 144 bytes
     * each. Written only by the classifier's writer before the rule is
     * published to readers.
     */
    long[] mask;
    final int priority;
    private volatile long addVersion;
    private volatile long removeVersion = Long.MAX_VALUE;

    protected ClassifierRule(long[] value, long[] mask, int priority) {
        if (value.length != KeyLayout.WORDS || mask.length != KeyLayout.WORDS) {
            throw new IllegalArgumentException("value and mask need " + KeyLayout.WORDS + " words, got "
                    + value.length + " and " + mask.length);
        }
        this.value = value.clone();
        this.mask = mask.clone();
        for (int i = 0; i < KeyLayout.WORDS; i++) this.value[i] &= this.mask[i];
        this.priority = priority;
    }

    public final int priority() {
        return priority;
    }

    /** A copy of the mask words. */
    public final long[] maskWords() {
        return mask.clone();
    }

    /** A copy of the (masked) value words. */
    public final long[] valueWords() {
        return value.clone();
    }

    /** Whether this rule matches the key (ignoring versions). */
    public final boolean matches(FlowKey key) {
        long[] k = key.words;
        for (int i = 0; i < KeyLayout.WORDS; i++) {
            if ((k[i] & mask[i]) != value[i]) return false;
        }
        return true;
    }

    /** Same masked value and same mask (priority not compared). */
    public final boolean sameMatch(ClassifierRule o) {
        return Arrays.equals(mask, o.mask) && Arrays.equals(value, o.value);
    }

    public final boolean visibleAt(long version) {
        return addVersion <= version && version < removeVersion;
    }

    public final long addVersion() {
        return addVersion;
    }

    public final long removeVersion() {
        return removeVersion;
    }

    /** Called by the classifier's writer before the rule is inserted. */
    final void setAddVersion(long v) {
        addVersion = v;
    }

    /** Makes the rule invisible from version {@code v} on (Long.MAX_VALUE: visible again). */
    final void setRemoveVersion(long v) {
        removeVersion = v;
    }
}
