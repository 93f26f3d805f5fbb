package io.shunt.p2p;

import java.util.ArrayList;
import java.util.List;

/**
 * The last evaluation of one candidate source port A (a {@code dpdkr} port that is up): the
 * tables its packets reached with the top priority seen in each (registered in the tables'
 * reverse index), the decisive entries, the port its packets go to, and the verdict.
 */
final class SourceState {
    final int port;

    int[] visitedTables = new int[2];
    int[] visitedTops = new int[2];
    int visits;

    final List<EntryNode> chain = new ArrayList<>(2);
    /** Whether the chain resolved to one plain output; {@link #target} is valid only then. */
    boolean hasTarget;
    int target;
    PathVerdict verdict = PathVerdict.NO_MATCHING_ENTRY;

    SourceState(int port) {
        this.port = port;
    }

    void addVisit(int table, int top) {
        if (visits == visitedTables.length) {
            visitedTables = java.util.Arrays.copyOf(visitedTables, visits * 2);
            visitedTops = java.util.Arrays.copyOf(visitedTops, visits * 2);
        }
        visitedTables[visits] = table;
        visitedTops[visits] = top;
        visits++;
    }

    /** The top priority seen in {@code table} at the last evaluation, or -2 if not reached. */
    int topIn(int table) {
        for (int i = 0; i < visits; i++) {
            if (visitedTables[i] == table) {
                return visitedTops[i];
            }
        }
        return -2;
    }
}
