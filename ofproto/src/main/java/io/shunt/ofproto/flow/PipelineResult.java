package io.shunt.ofproto.flow;

import io.shunt.ofproto.classifier.FlowKey;
import io.shunt.ofproto.classifier.KeyLayout;
import java.util.Arrays;
import org.projectfloodlight.openflow.protocol.action.OFAction;

/**
 * The outcome of one pass through the OpenFlow pipeline, in a reusable
 * object (one per datapath thread, no allocation per packet): the actions
 * to execute in order (every apply-actions list as met, then the action
 * set), the entries that matched (whose counters the datapath bumps), the
 * meters to apply, and the key bits the outcome depended on (a megaflow
 * mask for a cache in front of the pipeline).
 */
public final class PipelineResult {
    static final int MAX_ACTIONS = 256;

    final OFAction[] actions = new OFAction[MAX_ACTIONS];
    int actionCount;
    final FlowEntry[] matched;
    int matchedCount;
    final long[] meters;
    int meterCount;
    final long[] wildcards = new long[KeyLayout.WORDS];
    /** The table where no entry matched (table-miss without a miss entry), or -1. */
    int missTable = -1;
    /** True when the action list was cut at {@link #MAX_ACTIONS}. */
    boolean truncated;
    final FlowKey scratch = new FlowKey();
    final ActionSet actionSet = new ActionSet();

    public PipelineResult(int tableCount) {
        matched = new FlowEntry[tableCount];
        meters = new long[tableCount];
    }

    void reset() {
        Arrays.fill(actions, 0, actionCount, null);
        actionCount = 0;
        Arrays.fill(matched, 0, matchedCount, null);
        matchedCount = 0;
        meterCount = 0;
        Arrays.fill(wildcards, 0L);
        missTable = -1;
        truncated = false;
        actionSet.clear();
    }

    public int actionCount() { return actionCount; }
    public OFAction action(int i) { return actions[i]; }
    public int matchedCount() { return matchedCount; }
    public FlowEntry matched(int i) { return matched[i]; }
    public int meterCount() { return meterCount; }
    public long meter(int i) { return meters[i]; }
    public int missTable() { return missTable; }
    public boolean truncated() { return truncated; }
    /** The examined-bits mask, word {@code i} of {@link KeyLayout}. */
    public long wildcardWord(int i) { return wildcards[i]; }
    /** The key as the last table saw it (after apply-action edits and write-metadata). */
    public FlowKey finalKey() { return scratch; }

    /** The actions as a new list (tests and slow paths). */
    public java.util.List<OFAction> actionList() {
        return java.util.List.of(Arrays.copyOf(actions, actionCount));
    }

    /** The matched entries as a new list (tests and slow paths). */
    public java.util.List<FlowEntry> matchedList() {
        return java.util.List.of(Arrays.copyOf(matched, matchedCount));
    }
}
