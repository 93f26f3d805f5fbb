package io.shunt.ofproto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.datapath.SoftDatapath;
import io.shunt.ofproto.flow.FlowEntry;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.*;
import org.projectfloodlight.openflow.protocol.errormsg.OFErrorMsgs;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.*;

/**
 * A switch on a {@link SoftDatapath} with ports 1-4, a manual clock and one
 * OF1.3 connection: the common setting of ofproto's tests.
 */
public final class SwitchFixture {
    public final ManualClock clock = new ManualClock();
    public final SoftDatapath dp = new SoftDatapath(clock);
    public final OpenFlowSwitch sw;
    public final RecordingConnection conn;
    public final OFFactory f;

    public SwitchFixture() {
        this(OFVersion.OF_13, SwitchConfig.defaults(0xabcdL));
    }

    public SwitchFixture(OFVersion v) {
        this(v, SwitchConfig.defaults(0xabcdL));
    }

    public SwitchFixture(OFVersion v, SwitchConfig cfg) {
        for (int p = 1; p <= 4; p++) dp.addPort(PortInfo.virtual(p, 0x020000000000L + p, "p" + p));
        sw = new OpenFlowSwitch(cfg.withClock(clock), dp);
        conn = new RecordingConnection(v);
        sw.connected(conn);
        f = conn.factory();
    }

    public void send(OFMessage m) throws OfErrorException {
        sw.handle(m, conn);
    }

    /** Sends and expects success (no exception). */
    public void ok(OFMessage m) {
        try {
            sw.handle(m, conn);
        } catch (OfErrorException e) {
            throw new AssertionError("switch refused " + m + ": " + e.getMessage(), e);
        }
    }

    /** Sends and expects refusal; returns the OFPT_ERROR the channel would send. */
    public OFErrorMsg error(OFMessage m) {
        OfErrorException e = assertThrows(OfErrorException.class, () -> sw.handle(m, conn));
        OFErrorMsgs errs = f.errorMsgs();
        return e.toMessage(errs, f.getVersion(), m.getXid(), new byte[0]);
    }

    public Match.Builder match() {
        return f.buildMatch();
    }

    public OFAction out(int port) {
        return f.actions().output(OFPort.of(port), 0xffff);
    }

    public List<OFInstruction> apply(OFAction... actions) {
        return List.of(f.instructions().applyActions(List.of(actions)));
    }

    public OFFlowAdd.Builder add(int priority, Match m, List<OFInstruction> ins) {
        return f.buildFlowAdd().setPriority(priority).setMatch(m).setInstructions(ins).setTableId(TableId.of(0));
    }

    public Match inPort(int p) {
        return match().setExact(MatchField.IN_PORT, OFPort.of(p)).build();
    }

    public List<FlowEntry> entries(int table) {
        return new ArrayList<>(sw.flowTablesView().entries(table));
    }

    public int count(int table) {
        return sw.flowTablesView().entryCount(table);
    }

    public static void assertErrorCode(OFErrorMsg e, Enum<?> code) {
        assertEquals(code, codeOf(e), "error " + e);
    }

    /** The typed code of an error message. */
    public static Enum<?> codeOf(OFErrorMsg e) {
        return switch (e) {
            case org.projectfloodlight.openflow.protocol.errormsg.OFBadRequestErrorMsg x -> x.getCode();
            case org.projectfloodlight.openflow.protocol.errormsg.OFBadActionErrorMsg x -> x.getCode();
            case org.projectfloodlight.openflow.protocol.errormsg.OFBadInstructionErrorMsg x -> x.getCode();
            case org.projectfloodlight.openflow.protocol.errormsg.OFBadMatchErrorMsg x -> x.getCode();
            case org.projectfloodlight.openflow.protocol.errormsg.OFFlowModFailedErrorMsg x -> x.getCode();
            case org.projectfloodlight.openflow.protocol.errormsg.OFGroupModFailedErrorMsg x -> x.getCode();
            case org.projectfloodlight.openflow.protocol.errormsg.OFPortModFailedErrorMsg x -> x.getCode();
            case org.projectfloodlight.openflow.protocol.errormsg.OFTableModFailedErrorMsg x -> x.getCode();
            case org.projectfloodlight.openflow.protocol.errormsg.OFQueueOpFailedErrorMsg x -> x.getCode();
            case org.projectfloodlight.openflow.protocol.errormsg.OFMeterModFailedErrorMsg x -> x.getCode();
            case org.projectfloodlight.openflow.protocol.errormsg.OFTableFeaturesFailedErrorMsg x -> x.getCode();
            case org.projectfloodlight.openflow.protocol.errormsg.OFBundleFailedErrorMsg x -> x.getCode();
            default -> throw new AssertionError("unexpected error type " + e);
        };
    }

    /** An Ethernet/IPv4/UDP frame (64 bytes). */
    public static byte[] udp(long dstMac, long srcMac, int srcIp, int dstIp, int srcPort, int dstPort) {
        byte[] f = new byte[64];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (dstMac >>> (40 - 8 * i));
            f[6 + i] = (byte) (srcMac >>> (40 - 8 * i));
        }
        f[12] = 0x08;
        f[13] = 0x00;
        f[14] = 0x45;
        f[16] = 0;
        f[17] = 50;
        f[22] = 64;
        f[23] = 17;
        for (int i = 0; i < 4; i++) {
            f[26 + i] = (byte) (srcIp >>> (24 - 8 * i));
            f[30 + i] = (byte) (dstIp >>> (24 - 8 * i));
        }
        f[34] = (byte) (srcPort >>> 8);
        f[35] = (byte) srcPort;
        f[36] = (byte) (dstPort >>> 8);
        f[37] = (byte) dstPort;
        return f;
    }

    public static void assertTrueMsg(boolean b, String msg) {
        assertTrue(b, msg);
    }
}
