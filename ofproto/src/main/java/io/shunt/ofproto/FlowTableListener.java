package io.shunt.ofproto;

import io.shunt.ofproto.flow.FlowChange;
import java.util.List;

/**
 * Observes the flow tables: the point-to-point detector and the datapath's
 * caches subscribe here ({@link OpenFlowSwitch#addFlowTableListener}).
 *
 * <p>Called on the control thread once per committed change (one
 * FLOW_MOD, one timeout sweep, one group or meter deletion, one bundle
 * commit), after the change is applied and published to the datapath, with
 * every entry touched in the order the changes were made. A listener must
 * not block: it runs before the next OpenFlow message is handled. Nothing is
 * reported for a change that failed or a bundle that was rolled back.
 */
@FunctionalInterface
public interface FlowTableListener {
    void flowTablesChanged(List<FlowChange> changes);
}
