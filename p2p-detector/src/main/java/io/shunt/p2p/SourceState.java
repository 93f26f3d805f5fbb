package io.shunt.p2p;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last evaluation of one candidate source port A (a {@code dpdkr} port that is up): the
 * tables its packets reached with the top priority seen in each (registered in the tables'
 * reverse index), the decisive entries, the port its packets go to, and the verdict.
 */
final class SourceState {
    /** {@link #topIn} of a table the last evaluation did not reach. */
    static final int NOT_REACHED = -2;

    final int port;

    int[] visitedTables = new int[2];
    int[] visitedTops = new int[2];
    int visits;
    /** The visits of the previous evaluation, kept to register only what moved. */
    int[] savedTables = new int[2];
    int[] savedTops = new int[2];
    int savedVisits;

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
            visitedTables = Arrays.copyOf(visitedTables, visits * 2);
            visitedTops = Arrays.copyOf(visitedTops, visits * 2);
        }
        visitedTables[visits] = table;
        visitedTops[visits] = top;
        visits++;
    }

    /** Swaps the current visits into the saved ones (no copy). */
    void saveVisits() {
        int[] t = savedTables;
        savedTables = visitedTables;
        visitedTables = t;
        int[] p = savedTops;
        savedTops = visitedTops;
        visitedTops = p;
        savedVisits = visits;
        visits = 0;
    }

    boolean visitsUnchanged() {
        if (visits != savedVisits) {
            return false;
        }
        for (int i = 0; i < visits; i++) {
            if (visitedTables[i] != savedTables[i] || visitedTops[i] != savedTops[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The top priority seen in {@code table} at the last evaluation (-1: no entry there), or
     * {@link #NOT_REACHED}.
     */
    int topIn(int table) {
        for (int i = 0; i < visits; i++) {
            if (visitedTables[i] == table) {
                return visitedTops[i];
            }
        }
        return NOT_REACHED;
    }
}
