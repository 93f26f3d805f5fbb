package io.shunt.ofproto.classifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The rules of one flow table, searched by tuple space: one {@link Subtable}
 * per distinct mask, each a hash table on the masked key, visited in order of
 * their highest priority so that the search stops as soon as no remaining
 * subtable can beat the best match found (OVS's classifier, without its
 * staged lookup and prefix tries).
 *
 * <p>{@link #lookup} is the reader path: lock-free, allocation-free, safe
 * from any thread, concurrent with one writer. All other methods are the
 * writer's (the control thread) and must not run concurrently with each
 * other.
 *
 * <p>Rule visibility is versioned (see {@link ClassifierRule}): readers pass
 * the published version, the writer its pending one.
 */
public final class Classifier {

    /** Subtables in descending order of max priority, with those priorities; replaced as a whole. */
    private static final class SubtableVector {
        final Subtable[] tables;
        final int[] maxPriority;

        SubtableVector(Subtable[] tables, int[] maxPriority) {
            this.tables = tables;
            this.maxPriority = maxPriority;
        }
    }

    private static final SubtableVector EMPTY = new SubtableVector(new Subtable[0], new int[0]);

    private volatile SubtableVector vector = EMPTY;
    private final Map<MaskKey, Subtable> byMask = new HashMap<>();
    private int size;

    private record MaskKey(long[] mask) {
        @Override
        public boolean equals(Object o) {
            return o instanceof MaskKey k && Arrays.equals(mask, k.mask);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(mask);
        }
    }

    /**
     * The highest-priority rule visible at {@code version} that matches the
     * key, or null. ORs into {@code wildcards} (KeyLayout words, may be null)
     * the mask of every subtable it consulted: a key that agrees with this one
     * on those bits gets the same answer (the megaflow property).
     */
    public ClassifierRule lookup(FlowKey key, long version, long[] wildcards) {
        SubtableVector v = vector;
        Subtable[] tables = v.tables;
        int[] maxPriority = v.maxPriority;
        long[] k = key.words;
        ClassifierRule best = null;
        int bestPriority = Integer.MIN_VALUE;
        for (int i = 0; i < tables.length; i++) {
            // Subtables are sorted by max priority: none further on can win.
            if (best != null && maxPriority[i] <= bestPriority) break;
            Subtable st = tables[i];
            if (wildcards != null) {
                int[] ws = st.words;
                long[] ms = st.maskWords;
                for (int j = 0; j < ws.length; j++) wildcards[ws[j]] |= ms[j];
            }
            ClassifierRule r = st.find(k, version);
            if (r != null && (best == null || r.priority > bestPriority)) {
                best = r;
                bestPriority = r.priority;
            }
        }
        return best;
    }

    /** Inserts a rule, visible from {@code addVersion} on. */
    public void insert(ClassifierRule rule, long addVersion) {
        rule.setAddVersion(addVersion);
        MaskKey mk = new MaskKey(rule.mask);
        Subtable st = byMask.get(mk);
        boolean newTable = st == null;
        if (newTable) {
            st = new Subtable(rule.mask);
            byMask.put(mk, st);
        }
        rule.mask = st.mask; // share the subtable's array; contents are equal
        int before = st.maxPriority();
        st.insert(rule);
        size++;
        if (newTable || st.maxPriority() != before) republish();
    }

    /** Marks a rule invisible from {@code version} on; it stays in place until {@link #remove}. */
    public void hide(ClassifierRule rule, long version) {
        rule.setRemoveVersion(version);
    }

    /** Undoes {@link #hide}. */
    public void unhide(ClassifierRule rule) {
        rule.setRemoveVersion(Long.MAX_VALUE);
    }

    /** Physically removes a rule (after it was hidden and that version published, or to roll back an insert). */
    public boolean remove(ClassifierRule rule) {
        MaskKey mk = new MaskKey(rule.mask);
        Subtable st = byMask.get(mk);
        if (st == null) return false;
        int before = st.maxPriority();
        if (!st.remove(rule)) return false;
        size--;
        if (st.ruleCount == 0) {
            byMask.remove(mk);
            republish();
        } else if (st.maxPriority() != before) {
            republish();
        }
        return true;
    }

    private void republish() {
        List<Subtable> list = new ArrayList<>(byMask.values());
        list.sort(Comparator.comparingInt(Subtable::maxPriority).reversed());
        Subtable[] ts = list.toArray(new Subtable[0]);
        int[] mp = new int[ts.length];
        for (int i = 0; i < ts.length; i++) mp[i] = ts[i].maxPriority();
        vector = new SubtableVector(ts, mp);
    }

    /** Number of rules physically present (including hidden ones not yet removed). */
    public int size() {
        return size;
    }

    public int subtableCount() {
        return byMask.size();
    }

    /** The rule with exactly this match and priority visible at {@code version}, or null (strict lookup). */
    public ClassifierRule findExact(long[] value, long[] mask, int priority, long version) {
        Subtable st = byMask.get(new MaskKey(mask));
        if (st == null) return null;
        for (ClassifierRule r : st.rulesWithValue(value)) {
            if (r.priority == priority && r.visibleAt(version)) return r;
        }
        return null;
    }

    /**
     * Every rule visible at {@code version} whose match is at least as
     * specific as (value, mask): it constrains every bit the request
     * constrains, to the same value (OpenFlow's non-strict match, OF1.3
     * section 6.4). Only subtables whose mask covers the request's are
     * visited; one with exactly the request's mask is a single hash probe.
     */
    public void forEachCovered(long[] value, long[] mask, long version, Consumer<ClassifierRule> action) {
        for (Subtable st : new ArrayList<>(byMask.values())) {
            boolean covers = true;
            boolean equal = true;
            for (int i = 0; i < KeyLayout.WORDS; i++) {
                if ((mask[i] & ~st.mask[i]) != 0) {
                    covers = false;
                    break;
                }
                if (mask[i] != st.mask[i]) equal = false;
            }
            if (!covers) continue;
            if (equal) {
                for (ClassifierRule r : st.rulesWithValue(value)) if (r.visibleAt(version)) action.accept(r);
            } else {
                List<ClassifierRule> hits = new ArrayList<>();
                st.forEachRule(r -> {
                    if (!r.visibleAt(version)) return;
                    for (int i = 0; i < KeyLayout.WORDS; i++) {
                        if ((r.value[i] & mask[i]) != value[i]) return;
                    }
                    hits.add(r);
                });
                hits.forEach(action);
            }
        }
    }

    /** Whether a rule of this priority visible at {@code version} could match a packet that (value, mask) matches. */
    public boolean overlaps(long[] value, long[] mask, int priority, long version) {
        for (Subtable st : byMask.values()) {
            if (st.maxPriority() < priority) continue;
            boolean[] hit = {false};
            st.forEachRule(r -> {
                if (hit[0] || r.priority != priority || !r.visibleAt(version)) return;
                for (int i = 0; i < KeyLayout.WORDS; i++) {
                    if (((r.value[i] ^ value[i]) & r.mask[i] & mask[i]) != 0) return;
                }
                hit[0] = true;
            });
            if (hit[0]) return true;
        }
        return false;
    }

    /** Every rule visible at {@code version}, in no particular order. */
    public void forEach(long version, Consumer<ClassifierRule> action) {
        List<ClassifierRule> all = new ArrayList<>(size);
        for (Subtable st : byMask.values()) st.forEachRule(r -> {
            if (r.visibleAt(version)) all.add(r);
        });
        all.forEach(action);
    }

    /** Approximate bytes of the index structures (not the rules themselves). */
    public long indexBytes() {
        long b = 0;
        for (Subtable st : byMask.values()) b += st.indexBytes() + 64 + 16L * st.words.length;
        return b;
    }
}
