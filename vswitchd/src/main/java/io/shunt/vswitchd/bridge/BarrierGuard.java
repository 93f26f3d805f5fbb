package io.shunt.vswitchd.bridge;

import io.shunt.ofproto.OfErrorException;
import io.shunt.ofproto.OpenFlowSwitch;
import io.shunt.ofproto.channel.ControllerConnection;
import io.shunt.ofproto.channel.MessageHandler;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterMod;

/**
 * Stands between the OpenFlow channels and the switch to keep the datapath's megaflows
 * honest about state that is not a flow entry: after a GROUP_MOD or METER_MOD, and when a
 * controller connects or leaves (which switches fail-mode standalone and table-miss
 * packet-ins on and off), the flow generation advances and every PMD is waited for, before
 * the next message is handled. Flow entries themselves are covered by the switch's
 * {@link io.shunt.ofproto.FlowTableListener}.
 */
final class BarrierGuard implements MessageHandler {
    private final OpenFlowSwitch sw;
    private final DpdkDatapath datapath;

    BarrierGuard(OpenFlowSwitch sw, DpdkDatapath datapath) {
        this.sw = sw;
        this.datapath = datapath;
    }

    @Override
    public void handle(OFMessage request, ControllerConnection from) throws OfErrorException {
        try {
            sw.handle(request, from);
        } finally {
            if (request instanceof OFGroupMod || request instanceof OFMeterMod) {
                datapath.flowStateChanged();
            }
        }
    }

    @Override
    public void connected(ControllerConnection connection) {
        boolean standalone = sw.standaloneActive();
        boolean missToController = sw.packetInOnTableMiss();
        sw.connected(connection);
        missBehaviourMayHaveChanged(standalone, missToController);
    }

    @Override
    public void disconnected(ControllerConnection connection) {
        boolean standalone = sw.standaloneActive();
        boolean missToController = sw.packetInOnTableMiss();
        sw.disconnected(connection);
        missBehaviourMayHaveChanged(standalone, missToController);
    }

    /**
     * Only a change of what a table miss does invalidates megaflows: every ovs-ofctl call is a
     * connection, and flushing every PMD's caches for each would make monitoring costly.
     */
    private void missBehaviourMayHaveChanged(boolean standaloneBefore, boolean missToControllerBefore) {
        if (sw.standaloneActive() != standaloneBefore || sw.packetInOnTableMiss() != missToControllerBefore) {
            datapath.flowStateChanged();
        }
    }
}
