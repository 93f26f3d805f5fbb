package io.shunt.datapath.engine;

import java.util.Arrays;
import java.util.List;

/**
 * What the engine does with every packet of one megaflow: an immutable list of
 * {@link DpAction}s, executed in order on the packet's buffer, and where to credit the
 * packets ({@link FlowCredit}). This is the {@code A} of the PMD's
 * {@link io.shunt.datapath.cache.FlowCaches}.
 *
 * <p>The original buffer goes to the last output that no later action needs the packet
 * after; every earlier output sends a copy (there are no buffer reference counts in the
 * pool), so an edit between two outputs never changes what the first one sent.
 */
public final class ActionProgram {
    /** Drops everything, counted as {@link DropReason#NO_ACTION}. */
    public static final ActionProgram DROP = new ActionProgram(List.of(), FlowCredit.NONE);

    final DpAction[] ops;
    /** Index of the op that may take the original buffer, or -1 (then it is freed at the end). */
    final int consumingOp;
    final FlowCredit credit;

    public ActionProgram(List<DpAction> ops, FlowCredit credit) {
        this.ops = ops.toArray(DpAction[]::new);
        this.credit = credit;
        int last = this.ops.length - 1;
        this.consumingOp = last >= 0 && consumes(this.ops[last]) ? last : -1;
    }

    private static boolean consumes(DpAction a) {
        return a instanceof DpAction.Output || a instanceof DpAction.OutputInPort || a instanceof DpAction.Flood
                || a instanceof DpAction.Normal;
    }

    public List<DpAction> ops() {
        return List.of(ops);
    }

    public FlowCredit credit() {
        return credit;
    }

    @Override
    public String toString() {
        return Arrays.toString(ops);
    }
}
