package io.shunt.p2p;

import java.util.Map;
import java.util.TreeMap;

/**
 * The entries of one table with one {@code in_port} key (one port number, or wildcarded),
 * grouped by priority. The chain evaluation only ever asks for the top priority and the
 * level at it; both are cached, so an evaluation reads two fields instead of walking the
 * tree (at 100k entries that walk is a string of cache misses). Only removing the top level
 * walks it, once, with {@link TreeMap#lastEntry()}.
 */
final class InPortColumn {
    private final TreeMap<Integer, PriorityLevel> levels = new TreeMap<>();
    private int size;
    private int topPriority = -1;
    private PriorityLevel topLevel;

    void add(EntryNode node) {
        int priority = node.priority();
        PriorityLevel level = priority == topPriority ? topLevel
                : levels.computeIfAbsent(priority, p -> new PriorityLevel());
        level.add(node);
        size++;
        if (priority > topPriority) {
            topPriority = priority;
            topLevel = level;
        }
    }

    void remove(EntryNode node) {
        int priority = node.priority();
        PriorityLevel level = priority == topPriority ? topLevel : levels.get(priority);
        level.remove(node);
        size--;
        if (level.size() == 0) {
            levels.remove(priority);
            if (priority == topPriority) {
                Map.Entry<Integer, PriorityLevel> top = levels.lastEntry();
                topPriority = top == null ? -1 : top.getKey();
                topLevel = top == null ? null : top.getValue();
            }
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The highest priority present, or -1. */
    int topPriority() {
        return topPriority;
    }

    /** The level at the top priority; null when empty. */
    PriorityLevel topLevel() {
        return topLevel;
    }
}
