package io.shunt.p2p;

import io.shunt.p2p.model.Action;
import io.shunt.p2p.model.FlowEntry;
import io.shunt.p2p.model.Instructions;
import io.shunt.p2p.model.PortNumbers;

/**
 * One indexed flow entry: the model record, its match class, and its instructions reduced
 * once, at insertion, to the few facts the chain evaluation composes (so evaluating a chain
 * never walks an action list). Entries of class {@link MatchClass#ALL_PACKETS} are also
 * linked into their {@link PriorityLevel}'s list.
 */
final class EntryNode {
    final FlowEntry entry;
    final MatchClass matchClass;

    /** Meter instruction, other instruction, or an apply-action other than a plain output. */
    final boolean poisoned;
    /** Number of plain (non-reserved) outputs in apply-actions. */
    final int applyOutputs;
    /** The last of those outputs. */
    final int applyPort;
    final boolean clearsActionSet;
    /** Whether write-actions holds exactly one plain output (and nothing that dirties). */
    final boolean writesOutput;
    final int writePort;
    /** Whether write-actions puts anything but one plain output into the action set. */
    final boolean writeDirty;
    final int gotoTable;

    EntryNode prev;
    EntryNode next;

    EntryNode(FlowEntry entry) {
        this.entry = entry;
        this.matchClass = MatchClass.of(entry);
        Instructions ins = entry.instructions();

        boolean bad = ins.meter() || ins.otherInstructions();
        int outputs = 0;
        int lastPort = 0;
        for (Action a : ins.applyActions()) {
            if (a instanceof Action.Output(int port) && !PortNumbers.isReserved(port)) {
                outputs++;
                lastPort = port;
            } else {
                bad = true;
            }
        }
        this.poisoned = bad;
        this.applyOutputs = outputs;
        this.applyPort = lastPort;
        this.clearsActionSet = ins.clearActions();

        int writeOutputs = 0;
        int writeTo = 0;
        boolean dirty = false;
        for (Action a : ins.writeActions()) {
            if (a instanceof Action.Output(int port) && !PortNumbers.isReserved(port)) {
                writeOutputs++;
                writeTo = port;
            } else {
                dirty = true;
            }
        }
        // An action set holds one output at most (OpenFlow 1.3 section 5.10); a write-actions
        // list with two is ambiguous, so it counts as dirty.
        if (writeOutputs > 1) {
            dirty = true;
        }
        this.writesOutput = writeOutputs == 1;
        this.writePort = writeTo;
        this.writeDirty = dirty;
        this.gotoTable = ins.gotoTable();
    }

    int table() {
        return entry.tableId();
    }

    int priority() {
        return entry.priority();
    }

    boolean wildcardInPort() {
        return !entry.match().inPortMatched();
    }

    int inPort() {
        return entry.match().inPort();
    }
}
