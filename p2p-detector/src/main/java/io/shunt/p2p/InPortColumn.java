package io.shunt.p2p;

import java.util.Map;
import java.util.TreeMap;

/**
 * The entries of one table with one {@code in_port} key (one port number, or wildcarded),
 * grouped by priority. The chain evaluation only ever asks for the top priority and the
 * level at it: {@link TreeMap#lastEntry()} answers in O(log levels).
 */
final class InPortColumn {
    private final TreeMap<Integer, PriorityLevel> levels = new TreeMap<>();
    private int size;

    void add(EntryNode node) {
        levels.computeIfAbsent(node.priority(), p -> new PriorityLevel()).add(node);
        size++;
    }

    void remove(EntryNode node) {
        PriorityLevel level = levels.get(node.priority());
        level.remove(node);
        if (level.size() == 0) {
            levels.remove(node.priority());
        }
        size--;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The highest priority present, or -1. */
    int topPriority() {
        Map.Entry<Integer, PriorityLevel> top = levels.lastEntry();
        return top == null ? -1 : top.getKey();
    }

    /** The level at the top priority; only call when not empty. */
    PriorityLevel topLevel() {
        return levels.lastEntry().getValue();
    }
}
