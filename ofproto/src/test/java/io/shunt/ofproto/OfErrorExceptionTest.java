package io.shunt.ofproto;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.*;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadRequestErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFFlowModFailedErrorMsg;

/** Every refusal reaches the peer as an error its version can parse. */
class OfErrorExceptionTest {
    private static OFErrorMsg render(OfErrorException e, OFVersion v) {
        OFFactory f = OFFactories.getFactory(v);
        OFErrorMsg m = e.toMessage(f.errorMsgs(), v, 42, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ByteBuf b = Unpooled.buffer();
        try {
            m.writeTo(b);
        } finally {
            b.release();
        }
        assertEquals(42, m.getXid());
        return m;
    }

    @Test
    void codesMissingInOpenFlow10FallBackToTheirNearestOldCode() {
        OFErrorMsg m = render(OfErrorException.badRequest(OFBadRequestCode.BAD_EXPERIMENTER_TYPE, "x"), OFVersion.OF_10);
        assertEquals(OFBadRequestCode.BAD_SUBTYPE, ((OFBadRequestErrorMsg) m).getCode());
        OFErrorMsg full = render(OfErrorException.flowModFailed(OFFlowModFailedCode.TABLE_FULL, "x"), OFVersion.OF_10);
        assertEquals(OFFlowModFailedCode.ALL_TABLES_FULL, ((OFFlowModFailedErrorMsg) full).getCode());
        // OF1.0 has no OFPET_BAD_MATCH at all.
        OFErrorMsg match = render(OfErrorException.badMatch(OFBadMatchCode.BAD_PREREQ, "x"), OFVersion.OF_10);
        assertEquals(OFBadRequestCode.EPERM, ((OFBadRequestErrorMsg) match).getCode());
    }

    @Test
    void codesThatExistAreKept() {
        OFErrorMsg m = render(OfErrorException.badRequest(OFBadRequestCode.BAD_EXPERIMENTER_TYPE, "x"), OFVersion.OF_13);
        assertEquals(OFBadRequestCode.BAD_EXPERIMENTER_TYPE, ((OFBadRequestErrorMsg) m).getCode());
        OFErrorMsg b = render(OfErrorException.bundleFailed(OFBundleFailedCode.MSG_FAILED, "x"), OFVersion.OF_14);
        assertEquals(OFErrorType.BUNDLE_FAILED, b.getErrType());
    }
}
