package io.shunt.p2p.model;

import java.util.List;
import java.util.Objects;

/**
 * The instructions of a flow entry (OpenFlow 1.3 section 5.9), which the switch executes in
 * this order: meter, apply-actions, clear-actions, write-actions, write-metadata,
 * goto-table. An OpenFlow 1.0 action list is {@code applyActions} alone.
 *
 * @param meter             whether the entry has a meter instruction
 * @param applyActions      the apply-actions list, executed in order, immediately
 * @param clearActions      whether the entry clears the action set
 * @param writeActions      the write-actions list, merged into the action set (executed when
 *                          the pipeline ends)
 * @param writeMetadata     whether the entry writes metadata (it never changes the packet as
 *                          it leaves the switch)
 * @param gotoTable         the goto-table target, or {@link #NO_GOTO}; must be greater than
 *                          the entry's own table (checked by {@link FlowEntry})
 * @param otherInstructions whether the entry carries any other instruction (experimenter,
 *                          OpenFlow 1.5 stat-trigger, ...)
 */
public record Instructions(boolean meter, List<Action> applyActions, boolean clearActions,
                           List<Action> writeActions, boolean writeMetadata, int gotoTable,
                           boolean otherInstructions) {

    /** {@link #gotoTable} when the entry has no goto-table instruction. */
    public static final int NO_GOTO = -1;

    private static final Instructions DROP = new Instructions(false, List.of(), false, List.of(), false, NO_GOTO, false);

    public Instructions {
        applyActions = List.copyOf(Objects.requireNonNull(applyActions, "applyActions"));
        writeActions = List.copyOf(Objects.requireNonNull(writeActions, "writeActions"));
        if (gotoTable != NO_GOTO && (gotoTable < 1 || gotoTable > FlowEntry.MAX_TABLE_ID)) {
            throw new IllegalArgumentException("goto-table " + gotoTable + " is not a table id in 1.."
                    + FlowEntry.MAX_TABLE_ID);
        }
    }

    /** No instruction at all: the packet is dropped. */
    public static Instructions drop() {
        return DROP;
    }

    /** {@code apply-actions(actions)}. */
    public static Instructions apply(Action... actions) {
        return new Instructions(false, List.of(actions), false, List.of(), false, NO_GOTO, false);
    }

    /** {@code write-actions(actions)}. */
    public static Instructions write(Action... actions) {
        return new Instructions(false, List.of(), false, List.of(actions), false, NO_GOTO, false);
    }

    /** {@code goto-table:table}. */
    public static Instructions gotoTable(int table) {
        return new Instructions(false, List.of(), false, List.of(), false, table, false);
    }

    /** {@code apply-actions(output:port)}. */
    public static Instructions output(int port) {
        return apply(new Action.Output(port));
    }

    public Instructions withMeter() {
        return new Instructions(true, applyActions, clearActions, writeActions, writeMetadata, gotoTable, otherInstructions);
    }

    public Instructions withClearActions() {
        return new Instructions(meter, applyActions, true, writeActions, writeMetadata, gotoTable, otherInstructions);
    }

    public Instructions withWriteMetadata() {
        return new Instructions(meter, applyActions, clearActions, writeActions, true, gotoTable, otherInstructions);
    }

    public Instructions withGotoTable(int table) {
        return new Instructions(meter, applyActions, clearActions, writeActions, writeMetadata, table, otherInstructions);
    }

    public Instructions withOtherInstruction() {
        return new Instructions(meter, applyActions, clearActions, writeActions, writeMetadata, gotoTable, true);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (meter) {
            s.append("meter,");
        }
        if (!applyActions.isEmpty()) {
            s.append("apply").append(applyActions).append(',');
        }
        if (clearActions) {
            s.append("clear,");
        }
        if (!writeActions.isEmpty()) {
            s.append("write").append(writeActions).append(',');
        }
        if (writeMetadata) {
            s.append("write_metadata,");
        }
        if (gotoTable != NO_GOTO) {
            s.append("goto:").append(gotoTable).append(',');
        }
        if (otherInstructions) {
            s.append("other,");
        }
        return s.isEmpty() ? "drop" : s.substring(0, s.length() - 1);
    }
}
