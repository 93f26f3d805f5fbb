package io.shunt.ofproto.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One atomic change of the switch state: a single FLOW_MOD/GROUP_MOD/
 * METER_MOD, or a whole bundle (OF1.4 section 7.3.9). Every mutation logs
 * how to undo it and defers what others must observe (listener events,
 * FLOW_REMOVED messages, physical removal of hidden rules) to
 * {@link #commit}; {@link #rollback} undoes everything in reverse order, so
 * a failing message in a bundle leaves nothing applied.
 *
 * <p>Flow-table changes carry the version {@link #version()}: invisible to
 * datapath lookups until the commit publishes it.
 */
public final class Txn {
    private final long version;
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private final List<Runnable> afterPublish = new ArrayList<>();
    private final List<Runnable> onCommit = new ArrayList<>();
    private final List<FlowChange> changes = new ArrayList<>();
    private boolean done;

    Txn(long version) {
        this.version = version;
    }

    public long version() {
        return version;
    }

    void onUndo(Runnable r) {
        undo.push(r);
    }

    void afterPublish(Runnable r) {
        afterPublish.add(r);
    }

    /** Runs after a successful commit, in registration order (e.g. messages to controllers). */
    public void onCommit(Runnable r) {
        onCommit.add(r);
    }

    /** Registers an undo step (for state outside the flow tables: groups, meters, ports). */
    public void undoWith(Runnable r) {
        undo.push(r);
    }

    void change(FlowChange c) {
        changes.add(c);
    }

    List<FlowChange> changes() {
        return changes;
    }

    List<Runnable> afterPublishSteps() {
        return afterPublish;
    }

    List<Runnable> commitSteps() {
        return onCommit;
    }

    void runUndo() {
        while (!undo.isEmpty()) undo.pop().run();
    }

    boolean markDone() {
        boolean was = done;
        done = true;
        return !was;
    }
}
