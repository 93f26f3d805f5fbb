package io.shunt.ofproto.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.shunt.ofproto.OfErrorException;
import io.shunt.ofproto.testing.OfTestClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBadActionCode;
import org.projectfloodlight.openflow.protocol.OFBadInstructionCode;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFailedCode;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadActionErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadInstructionErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadRequestErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFFlowModFailedErrorMsg;
import org.projectfloodlight.openflow.types.OFPort;

/** Which OFPT_ERROR a body Loxi cannot decode gets: the part that is wrong picks the error type. */
class LoxiDecodingTest {

    private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

    private static byte[] flowAdd() {
        return OfTestClient.encode(F.buildFlowAdd().setXid(9)
                .setInstructions(List.of(F.instructions().applyActions(List.of(F.actions().output(OFPort.of(2), 0)))))
                .build());
    }

    private static OFErrorMsg errorFor(byte[] request) {
        OfErrorException e = assertThrows(OfErrorException.class,
                () -> LoxiDecoding.decode(OFVersion.OF_13, Unpooled.wrappedBuffer(request)));
        return e.toMessage(F.errorMsgs(), OFVersion.OF_13, 9, request);
    }

    /** Index of the first occurrence of {@code pattern}, searching from {@code from}. */
    private static int find(byte[] haystack, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= haystack.length - pattern.length; i++) {
            for (int k = 0; k < pattern.length; k++) {
                if (haystack[i + k] != pattern[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    @Test
    void validRequestDecodes() throws Exception {
        assertEquals(9, LoxiDecoding.decode(OFVersion.OF_13, Unpooled.wrappedBuffer(flowAdd())).getXid());
    }

    @Test
    void unknownActionIsBadActionType() {
        byte[] m = flowAdd();
        int action = find(m, new byte[] {0, 0, 0, 16, 0, 0, 0, 2}, 56); // OFPAT_OUTPUT, len 16, port 2
        m[action + 1] = 0x77;
        assertEquals(OFBadActionCode.BAD_TYPE, ((OFBadActionErrorMsg) errorFor(m)).getCode());
    }

    @Test
    void unknownInstructionIsUnknownInst() {
        byte[] m = flowAdd();
        int inst = find(m, new byte[] {0, 4, 0, 24}, 56); // OFPIT_APPLY_ACTIONS, len 24
        m[inst + 1] = 0x55;
        assertEquals(OFBadInstructionCode.UNKNOWN_INST, ((OFBadInstructionErrorMsg) errorFor(m)).getCode());
    }

    @Test
    void unknownFlowModCommandIsBadCommand() {
        byte[] m = flowAdd();
        m[25] = 9; // command byte of ofp_flow_mod (offset 25 in OF1.3)
        assertEquals(OFFlowModFailedCode.BAD_COMMAND, ((OFFlowModFailedErrorMsg) errorFor(m)).getCode());
    }

    @Test
    void bodyShorterThanItsStructureIsBadLen() {
        byte[] m = java.util.Arrays.copyOf(flowAdd(), 40);
        m[2] = 0;
        m[3] = 40;
        OFBadRequestErrorMsg err = (OFBadRequestErrorMsg) errorFor(m);
        assertEquals(OFBadRequestCode.BAD_LEN, err.getCode());
        assertEquals(40, err.getData().getData().length, "the error carries the whole offending request");
    }

    @Test
    void unknownMessageTypeIsBadTypeAndUnknownExperimenterSubtypeDependsOnVersion() {
        assertEquals(OFBadRequestCode.BAD_TYPE,
                ((OFBadRequestErrorMsg) errorFor(new byte[] {4, 99, 0, 8, 0, 0, 0, 9})).getCode());
        OfErrorException of10 = LoxiDecoding.classify(
                "Unknown value for discriminator subtype of class OFNiciraHeaderVer10: 99");
        OFErrorMsg m10 = of10.toMessage(OFFactories.getFactory(OFVersion.OF_10).errorMsgs(), OFVersion.OF_10, 1, new byte[8]);
        assertEquals(OFBadRequestCode.BAD_SUBTYPE, ((OFBadRequestErrorMsg) m10).getCode());
        assertTrue(of10.getMessage().contains("subtype"));
    }
}
