package io.shunt.ofproto;

import org.projectfloodlight.openflow.protocol.OFBadActionCode;
import org.projectfloodlight.openflow.protocol.OFBadInstructionCode;
import org.projectfloodlight.openflow.protocol.OFBadMatchCode;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFBundleFailedCode;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFlowModFailedCode;
import org.projectfloodlight.openflow.protocol.OFGroupModFailedCode;
import org.projectfloodlight.openflow.protocol.OFMeterModFailedCode;
import org.projectfloodlight.openflow.protocol.OFPortModFailedCode;
import org.projectfloodlight.openflow.protocol.OFQueueOpFailedCode;
import org.projectfloodlight.openflow.protocol.OFRoleRequestFailedCode;
import org.projectfloodlight.openflow.protocol.OFSwitchConfigFailedCode;
import org.projectfloodlight.openflow.protocol.OFTableFeaturesFailedCode;
import org.projectfloodlight.openflow.protocol.OFTableModFailedCode;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.errormsg.OFErrorMsgs;
import org.projectfloodlight.openflow.types.OFErrorCauseData;

/**
 * A request that the switch refuses with an OFPT_ERROR (OpenFlow 1.3 spec
 * section 7.4.4). Thrown by whoever validates or executes a request; the
 * channel turns it into the error message, with the request's xid and its
 * offending bytes, and the connection lives on.
 *
 * <p>The error type and code are kept as a small function of the peer's
 * {@link OFErrorMsgs} factory, so that one exception serves every
 * negotiated version.
 */
public final class OfErrorException extends Exception {

    /** Builds the error message of one type for one version. */
    @FunctionalInterface
    public interface ErrorBuilder {
        OFErrorMsg build(OFErrorMsgs errors, long xid, OFErrorCauseData data);
    }

    private final ErrorBuilder builder;
    /** The nearest error an older version can carry, when the preferred one does not exist there; may be null. */
    private final ErrorBuilder fallback;

    private OfErrorException(String detail, ErrorBuilder builder) {
        this(detail, builder, null);
    }

    private OfErrorException(String detail, ErrorBuilder builder, ErrorBuilder fallback) {
        super(detail, null, false, false);
        this.builder = builder;
        this.fallback = fallback;
    }

    /**
     * The OFPT_ERROR for this refusal. {@code offending} is the raw request
     * (the spec asks for at least its first 64 bytes; we send all of it up to
     * the message size limit).
     *
     * <p>Error types and codes differ between versions (OF1.0 has no
     * OFPET_BAD_MATCH, no OFPBRC_BAD_EXPERIMENTER_TYPE, ...). The error is
     * checked to encode in {@code version}; if it cannot, the nearest one
     * that can is sent (a peer must always get an error it can parse), down
     * to OFPBRC_EPERM, which every version has.
     */
    public OFErrorMsg toMessage(OFErrorMsgs errors, OFVersion version, long xid, byte[] offending) {
        OFErrorCauseData data = OFErrorCauseData.of(offending, version);
        OFErrorMsg msg = encodable(builder, errors, xid, data);
        if (msg == null && fallback != null) msg = encodable(fallback, errors, xid, data);
        if (msg == null) msg = errors.buildBadRequestErrorMsg().setXid(xid).setCode(OFBadRequestCode.EPERM).setData(data).build();
        return msg;
    }

    private static OFErrorMsg encodable(ErrorBuilder b, OFErrorMsgs errors, long xid, OFErrorCauseData data) {
        io.netty.buffer.ByteBuf scratch = io.netty.buffer.Unpooled.buffer(128);
        try {
            OFErrorMsg m = b.build(errors, xid, data);
            m.writeTo(scratch);
            return m;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return null; // this type or code does not exist in the peer's version
        } finally {
            scratch.release();
        }
    }

    public static OfErrorException badRequest(OFBadRequestCode code, String detail) {
        // OF1.0 calls an unknown experimenter subtype OFPBRC_BAD_SUBTYPE.
        OFBadRequestCode older = code == OFBadRequestCode.BAD_EXPERIMENTER_TYPE ? OFBadRequestCode.BAD_SUBTYPE : OFBadRequestCode.EPERM;
        return new OfErrorException(detail, (e, xid, d) -> e.buildBadRequestErrorMsg().setXid(xid).setCode(code).setData(d).build(),
                (e, xid, d) -> e.buildBadRequestErrorMsg().setXid(xid).setCode(older).setData(d).build());
    }

    public static OfErrorException badAction(OFBadActionCode code, String detail) {
        OFBadActionCode older = code == OFBadActionCode.BAD_EXPERIMENTER_TYPE ? OFBadActionCode.BAD_EXPERIMENTER : OFBadActionCode.BAD_ARGUMENT;
        return new OfErrorException(detail, (e, xid, d) -> e.buildBadActionErrorMsg().setXid(xid).setCode(code).setData(d).build(),
                (e, xid, d) -> e.buildBadActionErrorMsg().setXid(xid).setCode(older).setData(d).build());
    }

    public static OfErrorException badInstruction(OFBadInstructionCode code, String detail) {
        // OFPBIC_DUP_INST is OF1.4's; 1.3 peers get OFPBIC_UNSUP_INST.
        return new OfErrorException(detail, (e, xid, d) -> e.buildBadInstructionErrorMsg().setXid(xid).setCode(code).setData(d).build(),
                (e, xid, d) -> e.buildBadInstructionErrorMsg().setXid(xid).setCode(OFBadInstructionCode.UNSUP_INST).setData(d).build());
    }

    public static OfErrorException badMatch(OFBadMatchCode code, String detail) {
        return new OfErrorException(detail, (e, xid, d) -> e.buildBadMatchErrorMsg().setXid(xid).setCode(code).setData(d).build());
    }

    public static OfErrorException flowModFailed(OFFlowModFailedCode code, String detail) {
        OFFlowModFailedCode older = code == OFFlowModFailedCode.TABLE_FULL ? OFFlowModFailedCode.ALL_TABLES_FULL : OFFlowModFailedCode.EPERM;
        return new OfErrorException(detail, (e, xid, d) -> e.buildFlowModFailedErrorMsg().setXid(xid).setCode(code).setData(d).build(),
                (e, xid, d) -> e.buildFlowModFailedErrorMsg().setXid(xid).setCode(older).setData(d).build());
    }

    public static OfErrorException groupModFailed(OFGroupModFailedCode code, String detail) {
        return new OfErrorException(detail, (e, xid, d) -> e.buildGroupModFailedErrorMsg().setXid(xid).setCode(code).setData(d).build());
    }

    public static OfErrorException meterModFailed(OFMeterModFailedCode code, String detail) {
        return new OfErrorException(detail, (e, xid, d) -> e.buildMeterModFailedErrorMsg().setXid(xid).setCode(code).setData(d).build());
    }

    public static OfErrorException portModFailed(OFPortModFailedCode code, String detail) {
        return new OfErrorException(detail, (e, xid, d) -> e.buildPortModFailedErrorMsg().setXid(xid).setCode(code).setData(d).build());
    }

    public static OfErrorException tableModFailed(OFTableModFailedCode code, String detail) {
        return new OfErrorException(detail, (e, xid, d) -> e.buildTableModFailedErrorMsg().setXid(xid).setCode(code).setData(d).build());
    }

    public static OfErrorException switchConfigFailed(OFSwitchConfigFailedCode code, String detail) {
        return new OfErrorException(detail, (e, xid, d) -> e.buildSwitchConfigFailedErrorMsg().setXid(xid).setCode(code).setData(d).build());
    }

    public static OfErrorException roleRequestFailed(OFRoleRequestFailedCode code, String detail) {
        return new OfErrorException(detail, (e, xid, d) -> e.buildRoleRequestFailedErrorMsg().setXid(xid).setCode(code).setData(d).build());
    }

    public static OfErrorException bundleFailed(OFBundleFailedCode code, String detail) {
        return new OfErrorException(detail, (e, xid, d) -> e.buildBundleFailedErrorMsg().setXid(xid).setCode(code).setData(d).build());
    }

    public static OfErrorException tableFeaturesFailed(OFTableFeaturesFailedCode code, String detail) {
        return new OfErrorException(detail, (e, xid, d) -> e.buildTableFeaturesFailedErrorMsg().setXid(xid).setCode(code).setData(d).build());
    }

    public static OfErrorException queueOpFailed(OFQueueOpFailedCode code, String detail) {
        return new OfErrorException(detail, (e, xid, d) -> e.buildQueueOpFailedErrorMsg().setXid(xid).setCode(code).setData(d).build());
    }
}
