package io.shunt.ofproto.flow;

import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;

/** One change of a flow table, as reported to {@link io.shunt.ofproto.FlowTableListener}s. */
public sealed interface FlowChange {
    /** The entry concerned (the new version for a modification). */
    FlowEntry entry();

    /** A new entry. */
    record Added(FlowEntry entry) implements FlowChange {}

    /**
     * An entry replaced by a new version with the same table, match and
     * priority: a MODIFY, or an ADD over an identical entry.
     */
    record Modified(FlowEntry old, FlowEntry entry) implements FlowChange {}

    /** An entry removed, and why (delete, timeout, group or meter deleted). */
    record Removed(FlowEntry entry, OFFlowRemovedReason reason) implements FlowChange {}
}
