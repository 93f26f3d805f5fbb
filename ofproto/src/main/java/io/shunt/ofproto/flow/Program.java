package io.shunt.ofproto.flow;

import org.projectfloodlight.openflow.protocol.action.OFAction;

/**
 * A flow entry's instructions compiled for the pipeline (OF1.3 section
 * 5.9): the order of execution is meter, apply-actions, clear-actions,
 * write-actions, write-metadata, goto-table. Immutable.
 */
public final class Program {
    /** Meter id, or -1. */
    final long meterId;
    final OFAction[] apply;
    /** applyEdits[i] is the key effect of apply[i], or null. */
    final KeyEdit[] applyEdits;
    final boolean clearActions;
    /** Write-actions, or null when the instruction is absent. */
    final OFAction[] write;
    final boolean writeMetadata;
    final long metadataValue;
    final long metadataMask;
    /** Next table, or -1. */
    final int gotoTable;

    Program(long meterId, OFAction[] apply, KeyEdit[] applyEdits, boolean clearActions, OFAction[] write,
            boolean writeMetadata, long metadataValue, long metadataMask, int gotoTable) {
        this.meterId = meterId;
        this.apply = apply;
        this.applyEdits = applyEdits;
        this.clearActions = clearActions;
        this.write = write;
        this.writeMetadata = writeMetadata;
        this.metadataValue = metadataValue;
        this.metadataMask = metadataMask;
        this.gotoTable = gotoTable;
    }

    public long meterId() {
        return meterId;
    }

    public int gotoTable() {
        return gotoTable;
    }
}
