package io.shunt.ofproto;

import static org.junit.jupiter.api.Assertions.*;

import io.shunt.ofproto.datapath.Datapath;
import io.shunt.ofproto.datapath.DatapathHost;
import io.shunt.ofproto.datapath.FlowTraffic;
import io.shunt.ofproto.datapath.PortCounters;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.datapath.SoftDatapath;
import io.shunt.ofproto.flow.FlowEntry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.*;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.*;

/**
 * DESIGN section 4.4: traffic a direct link carries for a carrier flow, which
 * never crosses the classifier, shows in the flow's statistics, aggregate
 * statistics and FLOW_REMOVED, and keeps its idle timeout from firing.
 */
class DirectLinkTrafficTest {

    /**
     * A datapath with direct links: forwarding is the soft datapath's; each
     * link's ring counts what it carried for its carrier entry, as
     * datapath-dpdk's link rings do, and reports it through extraTraffic.
     */
    static final class LinkedDatapath implements Datapath {
        final SoftDatapath soft;
        final Map<FlowEntry, long[]> ringCounters = new ConcurrentHashMap<>(); // packets, bytes, last used

        LinkedDatapath(SoftDatapath soft) {
            this.soft = soft;
        }

        void carried(FlowEntry carrier, long packets, long bytes, long now) {
            ringCounters.merge(carrier, new long[] {packets, bytes, now},
                    (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], Math.max(a[2], b[2])});
        }

        @Override public void attach(DatapathHost host) { soft.attach(host); }
        @Override public List<PortInfo> ports() { return soft.ports(); }
        @Override public PortInfo port(int n) { return soft.port(n); }
        @Override public PortCounters portCounters(int n) { return soft.portCounters(n); }
        @Override public void packetOut(byte[] f, int in, List<OFAction> a) { soft.packetOut(f, in, a); }
        @Override public PortInfo portMod(int n, Set<OFPortConfig> c, Set<OFPortConfig> m) { return soft.portMod(n, c, m); }

        @Override
        public FlowTraffic extraTraffic(FlowEntry entry) {
            long[] c = ringCounters.get(entry);
            return c == null ? FlowTraffic.NONE : new FlowTraffic(c[0], c[1], c[2]);
        }
    }

    @Test
    void linkTrafficCountsInStatisticsFlowRemovedAndIdleTimeout() {
        ManualClock clock = new ManualClock();
        SoftDatapath soft = new SoftDatapath(clock);
        for (int p = 1; p <= 2; p++) soft.addPort(PortInfo.virtual(p, p, "vnf" + p));
        LinkedDatapath dp = new LinkedDatapath(soft);
        OpenFlowSwitch sw = new OpenFlowSwitch(SwitchConfig.defaults(1).withClock(clock), dp);
        RecordingConnection c = new RecordingConnection(OFVersion.OF_13);
        sw.connected(c);
        OFFactory f = c.factory();
        try {
            sw.handle(f.buildFlowAdd().setTableId(TableId.of(0)).setPriority(100).setIdleTimeout(5)
                    .setFlags(Set.of(OFFlowModFlags.SEND_FLOW_REM))
                    .setMatch(f.buildMatch().setExact(org.projectfloodlight.openflow.protocol.match.MatchField.IN_PORT, OFPort.of(1)).build())
                    .setInstructions(List.of(f.instructions().applyActions(List.of(f.actions().output(OFPort.of(2), 0))))).build(), c);
            FlowEntry carrier = sw.flowTablesView().entries(0).get(0);
            soft.receive(1, SwitchFixture.udp(1, 2, 3, 4, 5, 6)); // one packet on the normal path

            for (int s = 0; s < 4; s++) {
                clock.advanceSeconds(4);
                dp.carried(carrier, 1000, 64_000, clock.nanos()); // the link keeps carrying traffic
                assertEquals(0, sw.runTimers(), "a busy link keeps its carrier alive (second " + (4 * s + 4) + ")");
            }
            c.take();
            sw.handle(f.buildFlowStatsRequest().setTableId(TableId.ALL).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY)
                    .setMatch(f.buildMatch().build()).build(), c);
            OFFlowStatsEntry st = ((OFFlowStatsReply) c.take().get(0)).getEntries().get(0);
            assertEquals(4001, st.getPacketCount().getValue());
            assertEquals(4 * 64_000 + 64, st.getByteCount().getValue());
            sw.handle(f.buildAggregateStatsRequest().setTableId(TableId.ALL).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY)
                    .setMatch(f.buildMatch().build()).build(), c);
            assertEquals(4001, ((OFAggregateStatsReply) c.take().get(0)).getPacketCount().getValue());

            clock.advanceSeconds(5.5); // the link went quiet
            assertEquals(1, sw.runTimers());
            OFFlowRemoved fr = (OFFlowRemoved) c.take().get(0);
            assertEquals(OFFlowRemovedReason.IDLE_TIMEOUT, fr.getReason());
            assertEquals(4001, fr.getPacketCount().getValue());
        } catch (OfErrorException e) {
            throw new AssertionError(e);
        }
    }
}
