package io.shunt.ofproto.bundle;

import static io.shunt.ofproto.SwitchFixture.assertErrorCode;
import static io.shunt.ofproto.SwitchFixture.codeOf;
import static org.junit.jupiter.api.Assertions.*;

import io.shunt.ofproto.SwitchFixture;
import io.shunt.ofproto.flow.FlowChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.*;
import org.projectfloodlight.openflow.types.*;

/** OF1.4 bundles (section 6.8): atomic, ordered commit; state-machine errors. */
class BundleTest {
    final SwitchFixture s = new SwitchFixture(OFVersion.OF_14);
    final OFFactory f = s.f;
    final Set<OFBundleFlags> atomic = Set.of(OFBundleFlags.ATOMIC, OFBundleFlags.ORDERED);

    private OFBundleCtrlMsg ctrl(int id, OFBundleCtrlType type) {
        return f.buildBundleCtrlMsg().setXid(100 + type.ordinal()).setBundleId(BundleId.of(id)).setBundleCtrlType(type)
                .setFlags(atomic).setProperties(List.of()).build();
    }

    private OFBundleAddMsg add(int id, OFMessage m) {
        return f.buildBundleAddMsg().setXid(m.getXid()).setBundleId(BundleId.of(id)).setFlags(atomic).setData(m).build();
    }

    /** Loxi's builder copies the inner xid outward; a peer's bytes may differ, so rewrite them as a peer would send. */
    private OFMessage withOuterXid(OFMessage m, int xid) {
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
        try {
            m.writeTo(b);
            b.setInt(4, xid);
            OFMessage decoded = f.getReader().readFrom(b);
            assertEquals(xid, decoded.getXid());
            return decoded;
        } catch (org.projectfloodlight.openflow.exceptions.OFParseError e) {
            throw new AssertionError(e);
        } finally {
            b.release();
        }
    }

    @Test
    void commitAppliesEveryMessageAtOnceAndRepliesInOrder() {
        List<List<FlowChange>> events = new ArrayList<>();
        s.sw.addFlowTableListener(events::add);
        s.ok(ctrl(1, OFBundleCtrlType.OPEN_REQUEST));
        for (int i = 0; i < 10; i++) s.ok(add(1, s.add(10 + i, s.inPort(1 + i % 4), s.apply(s.out(2))).setXid(i).build()));
        // A later message may depend on an earlier one of the same bundle.
        s.ok(add(1, f.buildFlowModifyStrict().setXid(50).setTableId(TableId.of(0)).setPriority(10).setMatch(s.inPort(1))
                .setInstructions(s.apply(s.out(3))).build()));
        assertEquals(0, s.count(0), "nothing is applied before commit");
        s.ok(ctrl(1, OFBundleCtrlType.CLOSE_REQUEST));
        s.ok(ctrl(1, OFBundleCtrlType.COMMIT_REQUEST));
        assertEquals(10, s.count(0));
        assertEquals(1, events.size(), "one listener call per commit");
        assertEquals(11, events.get(0).size());
        List<OFBundleCtrlType> replies = s.conn.take().stream().map(m -> ((OFBundleCtrlMsg) m).getBundleCtrlType()).toList();
        assertEquals(List.of(OFBundleCtrlType.OPEN_REPLY, OFBundleCtrlType.CLOSE_REPLY, OFBundleCtrlType.COMMIT_REPLY), replies);
    }

    @Test
    void oneBadMessageLeavesEverythingAsItWas() {
        s.ok(s.add(5, s.inPort(4), s.apply(s.out(2))).build());
        List<List<FlowChange>> events = new ArrayList<>();
        s.sw.addFlowTableListener(events::add);
        s.ok(ctrl(2, OFBundleCtrlType.OPEN_REQUEST));
        s.ok(add(2, f.buildGroupAdd().setXid(1).setGroup(OFGroup.of(1)).setGroupType(OFGroupType.ALL).setBuckets(List.of()).build()));
        s.ok(add(2, s.add(10, s.inPort(1), s.apply(s.out(2))).setXid(2).build()));
        s.ok(add(2, f.buildFlowDelete().setXid(3).setTableId(TableId.ALL).setMatch(s.match().build()).build()));
        s.ok(add(2, s.add(11, s.inPort(1), s.apply(s.out(9))).setXid(4).build())); // bad port
        s.conn.take();
        OFErrorMsg e = s.error(ctrl(2, OFBundleCtrlType.COMMIT_REQUEST));
        assertErrorCode(e, OFBundleFailedCode.MSG_FAILED);
        List<OFMessage> sent = s.conn.take();
        assertEquals(1, sent.size());
        OFErrorMsg inner = (OFErrorMsg) sent.get(0);
        assertEquals(4, inner.getXid());
        assertEquals(OFBadActionCode.BAD_OUT_PORT, codeOf(inner));
        assertEquals(1, s.count(0));
        assertEquals(5, s.entries(0).get(0).priority());
        assertNull(s.sw.groups().group(1));
        assertTrue(events.isEmpty());
    }

    @Test
    void bundleStateMachineErrors() {
        assertErrorCode(s.error(ctrl(3, OFBundleCtrlType.COMMIT_REQUEST)), OFBundleFailedCode.BAD_ID);
        assertErrorCode(s.error(ctrl(3, OFBundleCtrlType.CLOSE_REQUEST)), OFBundleFailedCode.BAD_ID);
        s.ok(ctrl(3, OFBundleCtrlType.OPEN_REQUEST));
        assertErrorCode(s.error(ctrl(3, OFBundleCtrlType.OPEN_REQUEST)), OFBundleFailedCode.BUNDLE_EXIST);
        s.ok(ctrl(3, OFBundleCtrlType.CLOSE_REQUEST));
        assertErrorCode(s.error(add(3, s.add(1, s.inPort(1), s.apply(s.out(2))).setXid(1).build())), OFBundleFailedCode.BUNDLE_CLOSED);
        s.ok(ctrl(3, OFBundleCtrlType.DISCARD_REQUEST));
        assertErrorCode(s.error(ctrl(3, OFBundleCtrlType.DISCARD_REQUEST)), OFBundleFailedCode.BAD_ID);
        // BUNDLE_ADD opens implicitly; inner xid must match; only modifications can be bundled.
        assertErrorCode(s.error(withOuterXid(add(4, s.add(1, s.inPort(1), s.apply(s.out(2))).setXid(8).build()), 7)),
                OFBundleFailedCode.MSG_BAD_XID);
        assertErrorCode(s.error(add(4, f.buildEchoRequest().setXid(9).build())), OFBundleFailedCode.MSG_UNSUP);
        s.sw.disconnected(s.conn);
        assertEquals(0, s.count(0));
    }
}
