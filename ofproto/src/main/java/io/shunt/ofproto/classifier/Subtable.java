package io.shunt.ofproto.classifier;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * All rules of one classifier that share one mask, in a hash table keyed by
 * the masked value (tuple-space search, Srinivasan et al.; OVS's
 * {@code cls_subtable}). Rules with the same masked value but different
 * priorities share one node, highest priority first.
 *
 * <p>Concurrency: one writer (the control thread), any number of lock-free
 * readers. Nodes are immutable; the writer replaces a bucket's chain head
 * with a release store and readers load it with acquire, so a reader sees
 * either the old or the new chain, never a half-built node. A resize builds
 * a whole new bucket array and publishes it with one volatile store.
 */
final class Subtable {
    private static final VarHandle BUCKETS = MethodHandles.arrayElementVarHandle(Node[].class);
    private static final long SEED = 0x9E3779B97F4A7C15L;

    static final class Node {
        final long[] vals;          // masked key words, in the order of Subtable.words
        final int hash;
        final ClassifierRule[] rules; // highest priority first
        final Node next;

        Node(long[] vals, int hash, ClassifierRule[] rules, Node next) {
            this.vals = vals;
            this.hash = hash;
            this.rules = rules;
            this.next = next;
        }
    }

    final long[] mask;       // full KeyLayout mask
    final int[] words;       // indices of the mask's non-zero words
    final long[] maskWords;  // mask[words[i]]
    private volatile Node[] buckets = new Node[16];
    private int nodes;
    int ruleCount;
    /** Priority → number of rules; the writer keeps maxPriority from it. */
    private final TreeMap<Integer, Integer> priorities = new TreeMap<>();

    Subtable(long[] mask) {
        this.mask = mask.clone();
        int n = 0;
        for (long m : mask) if (m != 0) n++;
        words = new int[n];
        maskWords = new long[n];
        for (int i = 0, j = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                words[j] = i;
                maskWords[j++] = mask[i];
            }
        }
    }

    int maxPriority() {
        return priorities.isEmpty() ? Integer.MIN_VALUE : priorities.lastKey();
    }

    private int hashKey(long[] key) {
        long h = SEED ^ words.length;
        for (int i = 0; i < words.length; i++) {
            h = (h ^ (key[words[i]] & maskWords[i])) * 0xff51afd7ed558ccdL;
            h ^= h >>> 32;
        }
        return (int) h;
    }

    private int hashVals(long[] vals) {
        long h = SEED ^ words.length;
        for (long v : vals) {
            h = (h ^ v) * 0xff51afd7ed558ccdL;
            h ^= h >>> 32;
        }
        return (int) h;
    }

    /** Reader path: the highest-priority rule visible at {@code version} that matches the key; no allocation. */
    ClassifierRule find(long[] key, long version) {
        int h = hashKey(key);
        Node[] b = buckets;
        Node n = (Node) BUCKETS.getAcquire(b, h & (b.length - 1));
        outer:
        for (; n != null; n = n.next) {
            if (n.hash != h) continue;
            long[] vals = n.vals;
            for (int i = 0; i < vals.length; i++) {
                if ((key[words[i]] & maskWords[i]) != vals[i]) continue outer;
            }
            for (ClassifierRule r : n.rules) {
                if (r.visibleAt(version)) return r;
            }
            return null;
        }
        return null;
    }

    private long[] valsOf(long[] fullValue) {
        long[] v = new long[words.length];
        for (int i = 0; i < words.length; i++) v[i] = fullValue[words[i]] & maskWords[i];
        return v;
    }

    private static boolean sameVals(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
        return true;
    }

    /** The rules (any version) whose masked value equals {@code fullValue}, or an empty array. */
    ClassifierRule[] rulesWithValue(long[] fullValue) {
        long[] vals = valsOf(fullValue);
        int h = hashVals(vals);
        Node[] b = buckets;
        for (Node n = b[h & (b.length - 1)]; n != null; n = n.next) {
            if (n.hash == h && sameVals(n.vals, vals)) return n.rules;
        }
        return new ClassifierRule[0];
    }

    void insert(ClassifierRule rule) {
        long[] vals = valsOf(rule.value);
        int h = hashVals(vals);
        Node[] b = buckets;
        int idx = h & (b.length - 1);
        Node head = b[idx];
        Node found = null;
        for (Node n = head; n != null; n = n.next) {
            if (n.hash == h && sameVals(n.vals, vals)) {
                found = n;
                break;
            }
        }
        if (found == null) {
            BUCKETS.setRelease(b, idx, new Node(vals, h, new ClassifierRule[] {rule}, head));
            if (++nodes > b.length - (b.length >>> 2)) resize(b.length * 2);
        } else {
            ClassifierRule[] old = found.rules;
            ClassifierRule[] rs = new ClassifierRule[old.length + 1];
            int i = 0;
            while (i < old.length && old[i].priority >= rule.priority) {
                rs[i] = old[i];
                i++;
            }
            rs[i] = rule;
            System.arraycopy(old, i, rs, i + 1, old.length - i);
            replaceNode(b, idx, found, rs);
        }
        ruleCount++;
        priorities.merge(rule.priority, 1, Integer::sum);
    }

    /** Removes this exact rule object; returns whether it was present. */
    boolean remove(ClassifierRule rule) {
        long[] vals = valsOf(rule.value);
        int h = hashVals(vals);
        Node[] b = buckets;
        int idx = h & (b.length - 1);
        for (Node n = b[idx]; n != null; n = n.next) {
            if (n.hash != h || !sameVals(n.vals, vals)) continue;
            ClassifierRule[] old = n.rules;
            int at = -1;
            for (int i = 0; i < old.length; i++) if (old[i] == rule) at = i;
            if (at < 0) return false;
            ClassifierRule[] rs = new ClassifierRule[old.length - 1];
            System.arraycopy(old, 0, rs, 0, at);
            System.arraycopy(old, at + 1, rs, at, old.length - at - 1);
            replaceNode(b, idx, n, rs.length == 0 ? null : rs);
            if (rs.length == 0) nodes--;
            ruleCount--;
            priorities.computeIfPresent(rule.priority, (p, c) -> c == 1 ? null : c - 1);
            return true;
        }
        return false;
    }

    /**
     * Replaces {@code target} in bucket {@code idx} by a node with {@code rules}
     * (or unlinks it when null): the chain prefix up to target is copied, since
     * nodes are immutable for readers.
     */
    private static void replaceNode(Node[] b, int idx, Node target, ClassifierRule[] rules) {
        Node tail = rules == null ? target.next : new Node(target.vals, target.hash, rules, target.next);
        Node head = b[idx];
        // Rebuild prefix [head, target) on top of tail, keeping order.
        Node[] prefix = new Node[8];
        int p = 0;
        for (Node n = head; n != target; n = n.next) {
            if (p == prefix.length) prefix = java.util.Arrays.copyOf(prefix, p * 2);
            prefix[p++] = n;
        }
        Node chain = tail;
        for (int i = p - 1; i >= 0; i--) chain = new Node(prefix[i].vals, prefix[i].hash, prefix[i].rules, chain);
        BUCKETS.setRelease(b, idx, chain);
    }

    private void resize(int capacity) {
        Node[] old = buckets;
        Node[] nb = new Node[capacity];
        for (Node head : old) {
            for (Node n = head; n != null; n = n.next) {
                int i = n.hash & (capacity - 1);
                nb[i] = new Node(n.vals, n.hash, n.rules, nb[i]);
            }
        }
        buckets = nb; // volatile store publishes the fully built array
    }

    void forEachRule(Consumer<ClassifierRule> action) {
        for (Node head : buckets) {
            for (Node n = head; n != null; n = n.next) {
                for (ClassifierRule r : n.rules) action.accept(r);
            }
        }
    }

    /** Approximate retained bytes of the index itself (nodes, arrays), for the memory figure. */
    long indexBytes() {
        long bytes = 16L + 4L * buckets.length;
        bytes += nodes * (32L + 16 + 8L * words.length);
        bytes += ruleCount * 4L + nodes * 16L;
        return bytes;
    }
}
