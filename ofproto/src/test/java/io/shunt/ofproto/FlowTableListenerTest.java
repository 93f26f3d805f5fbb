package io.shunt.ofproto;

import static org.junit.jupiter.api.Assertions.*;

import io.shunt.ofproto.flow.FlowChange;
import io.shunt.ofproto.flow.FlowEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.types.TableId;

/** What the detector and the datapath caches see: every change, in order, after it is applied. */
class FlowTableListenerTest {
    final SwitchFixture s = new SwitchFixture();
    final List<List<FlowChange>> events = new ArrayList<>();

    @Test
    void addModifyDeleteAndTimeoutAreReportedInOrderAfterTheyApply() {
        s.sw.addFlowTableListener(changes -> {
            // Called after the change is applied: the view already reflects it.
            for (FlowChange c : changes) {
                boolean present = s.sw.flowTablesView().entries(c.entry().tableId()).contains(c.entry());
                assertEquals(!(c instanceof FlowChange.Removed), present, "view at notification of " + c);
            }
            events.add(changes);
        });
        s.ok(s.add(10, s.inPort(1), s.apply(s.out(2))).build());
        s.ok(s.f.buildFlowModify().setTableId(TableId.of(0)).setMatch(s.inPort(1)).setInstructions(s.apply(s.out(3))).build());
        s.ok(s.add(11, s.inPort(2), s.apply(s.out(3))).setHardTimeout(1).build());
        s.clock.advanceSeconds(2);
        s.sw.runTimers();
        s.ok(s.f.buildFlowDelete().setTableId(TableId.ALL).setMatch(s.match().build()).build());
        assertEquals(5, events.size());
        FlowEntry first = ((FlowChange.Added) events.get(0).get(0)).entry();
        FlowChange.Modified mod = (FlowChange.Modified) events.get(1).get(0);
        assertSame(first, mod.old());
        assertEquals(s.apply(s.out(3)), mod.entry().instructions());
        assertInstanceOf(FlowChange.Added.class, events.get(2).get(0));
        assertEquals(OFFlowRemovedReason.HARD_TIMEOUT, ((FlowChange.Removed) events.get(3).get(0)).reason());
        FlowChange.Removed del = (FlowChange.Removed) events.get(4).get(0);
        assertEquals(OFFlowRemovedReason.DELETE, del.reason());
        assertSame(mod.entry(), del.entry());
    }

    @Test
    void refusedChangeIsNotReported() {
        s.sw.addFlowTableListener(events::add);
        s.error(s.add(10, s.inPort(1), s.apply(s.out(9))).build());
        assertTrue(events.isEmpty());
    }
}
