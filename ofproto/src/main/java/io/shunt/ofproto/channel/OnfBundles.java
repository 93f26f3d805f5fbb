package io.shunt.ofproto.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shunt.ofproto.OfErrorException;
import java.util.EnumSet;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFBundleCtrlMsg;
import org.projectfloodlight.openflow.protocol.OFBundleCtrlType;
import org.projectfloodlight.openflow.protocol.errormsg.OFBundleFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.OFBundleFlags;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.BundleId;

/**
 * The ONF extension that carries OpenFlow 1.4 bundles over OpenFlow 1.3
 * (ONF EXT-230; what {@code ovs-ofctl -O OpenFlow13 --bundle} sends): an
 * OFPT_EXPERIMENTER message with experimenter id 0x4f4e4600 ("ONF") and
 * exp_type 2300 (BUNDLE_CONTROL) or 2301 (BUNDLE_ADD_MESSAGE), whose body is
 * the OF1.4 ofp_bundle_ctrl_msg / ofp_bundle_add_msg. Loxi 3.6 has no such
 * OF1.3 message, so the frame is read here into Loxi's OF1.4 bundle objects
 * (the inner message stays an OF1.3 message, decoded by Loxi) and handed to
 * the same bundle machinery as OF1.4; replies and bundle errors go back in
 * the extension's encoding (errors: OFPET_EXPERIMENTER, exp_code 2300 + the
 * OF1.4 OFPBFC code, as Open vSwitch numbers them).
 */
final class OnfBundles {
    static final long ONF_EXPERIMENTER = 0x4f4e4600L;
    static final int ET_BUNDLE_CONTROL = 2300;
    static final int ET_BUNDLE_ADD_MESSAGE = 2301;
    /** ofp_header (8) + experimenter (4) + exp_type (4). */
    private static final int EXPERIMENTER_HEADER = 16;
    private static final int OFPT_EXPERIMENTER = 4;
    private static final int OFPT_ERROR = 1;
    private static final int OFPET_EXPERIMENTER = 0xffff;
    /** Loxi's OF1.4 factory builds the bundle objects the switch handles; it never touches the wire here. */
    private static final OFFactory OF14 = OFFactories.getFactory(OFVersion.OF_14);

    private OnfBundles() {}

    /** True for an OF1.3 frame that carries one of the two ONF bundle messages. */
    static boolean isOnfBundle(OFVersion version, ByteBuf frame) {
        int at = frame.readerIndex();
        if (version != OFVersion.OF_13 || frame.readableBytes() < EXPERIMENTER_HEADER
                || frame.getUnsignedByte(at + 1) != OFPT_EXPERIMENTER
                || frame.getUnsignedInt(at + 8) != ONF_EXPERIMENTER) {
            return false;
        }
        long expType = frame.getUnsignedInt(at + 12);
        return expType == ET_BUNDLE_CONTROL || expType == ET_BUNDLE_ADD_MESSAGE;
    }

    /** Reads the frame into an OF1.4 BUNDLE_CONTROL or BUNDLE_ADD_MESSAGE; the frame's reader index is kept. */
    static OFMessage decode(ByteBuf frame) throws OfErrorException {
        int at = frame.readerIndex();
        int length = frame.readableBytes();
        long xid = frame.getUnsignedInt(at + 4);
        boolean control = frame.getUnsignedInt(at + 12) == ET_BUNDLE_CONTROL;
        int body = at + EXPERIMENTER_HEADER;
        // bundle_id (4), type or pad (2), flags (2): section 7.3.9 of OF1.4.
        if (length < EXPERIMENTER_HEADER + 8) {
            throw OfErrorException.badRequest(OFBadRequestCode.BAD_LEN, "ONF bundle message of " + length
                    + " bytes, shorter than its " + (EXPERIMENTER_HEADER + 8) + "-byte fixed part");
        }
        BundleId id = BundleId.of(frame.getInt(body));
        Set<OFBundleFlags> flags = flags(frame.getUnsignedShort(body + 6));
        if (control) {
            int type = frame.getUnsignedShort(body + 4);
            OFBundleCtrlType ctrl = switch (type) {
                case 0 -> OFBundleCtrlType.OPEN_REQUEST;
                case 2 -> OFBundleCtrlType.CLOSE_REQUEST;
                case 4 -> OFBundleCtrlType.COMMIT_REQUEST;
                case 6 -> OFBundleCtrlType.DISCARD_REQUEST;
                // Replies (odd types) and unknown types: OFPBFC_BAD_TYPE, as for OF1.4.
                default -> throw OfErrorException.bundleFailed(
                        org.projectfloodlight.openflow.protocol.OFBundleFailedCode.BAD_TYPE,
                        "ONF bundle control type " + type + " is not a request");
            };
            return OF14.buildBundleCtrlMsg().setXid(xid).setBundleId(id).setBundleCtrlType(ctrl).setFlags(flags).build();
        }
        int inner = body + 8;
        if (length < EXPERIMENTER_HEADER + 8 + 8) {
            throw OfErrorException.badRequest(OFBadRequestCode.BAD_LEN,
                    "ONF bundle add message of " + length + " bytes has no room for its inner message header");
        }
        int innerLength = frame.getUnsignedShort(inner + 2);
        if (innerLength < 8 || inner + innerLength > at + length) {
            throw OfErrorException.badRequest(OFBadRequestCode.BAD_LEN, "ONF bundle add message: inner message length "
                    + innerLength + " does not fit the " + (at + length - inner) + " bytes after the fixed part");
        }
        if (frame.getUnsignedByte(inner) != OFVersion.OF_13.getWireVersion()) {
            throw OfErrorException.badRequest(OFBadRequestCode.BAD_VERSION, "ONF bundle add message: inner message version 0x"
                    + Integer.toHexString(frame.getUnsignedByte(inner)) + " on an OpenFlow 1.3 connection");
        }
        OFMessage message = LoxiDecoding.decode(OFVersion.OF_13, frame.slice(inner, innerLength));
        return OF14.buildBundleAddMsg().setXid(xid).setBundleId(id).setFlags(flags).setData(message).build();
    }

    private static Set<OFBundleFlags> flags(int wire) {
        Set<OFBundleFlags> s = EnumSet.noneOf(OFBundleFlags.class);
        if ((wire & 1) != 0) s.add(OFBundleFlags.ATOMIC);
        if ((wire & 2) != 0) s.add(OFBundleFlags.ORDERED);
        if ((wire & 4) != 0) s.add(OFBundleFlags.TIME);
        return s;
    }

    private static int wireFlags(Set<OFBundleFlags> flags) {
        return (flags.contains(OFBundleFlags.ATOMIC) ? 1 : 0) | (flags.contains(OFBundleFlags.ORDERED) ? 2 : 0)
                | (flags.contains(OFBundleFlags.TIME) ? 4 : 0);
    }

    /** An OF1.4 bundle control reply, in the ONF encoding for an OF1.3 peer. */
    static ByteBuf encodeReply(OFBundleCtrlMsg reply, ByteBufAllocator alloc) {
        int type = switch (reply.getBundleCtrlType()) {
            case OPEN_REQUEST -> 0;
            case OPEN_REPLY -> 1;
            case CLOSE_REQUEST -> 2;
            case CLOSE_REPLY -> 3;
            case COMMIT_REQUEST -> 4;
            case COMMIT_REPLY -> 5;
            case DISCARD_REQUEST -> 6;
            case DISCARD_REPLY -> 7;
        };
        ByteBuf b = alloc.buffer(EXPERIMENTER_HEADER + 8);
        header(b, OFPT_EXPERIMENTER, EXPERIMENTER_HEADER + 8, reply.getXid());
        b.writeInt((int) ONF_EXPERIMENTER).writeInt(ET_BUNDLE_CONTROL);
        b.writeInt(reply.getBundleId().getInt()).writeShort(type).writeShort(wireFlags(reply.getFlags()));
        return b;
    }

    /**
     * The ONF error for a bundle refusal on an OF1.3 connection, or null when {@code e} is not a
     * bundle error (then the ordinary OF1.3 error applies).
     */
    static ByteBuf encodeError(OfErrorException e, long xid, byte[] offending, ByteBufAllocator alloc) {
        OFErrorMsg as14 = e.toMessage(OF14.errorMsgs(), OFVersion.OF_14, xid, new byte[0]);
        if (!(as14 instanceof OFBundleFailedErrorMsg)) return null;
        ByteBuf scratch = alloc.buffer(16);
        int code;
        try {
            as14.writeTo(scratch);
            code = scratch.getUnsignedShort(10); // ofp_error_msg: header (8), type (2), code (2)
        } finally {
            scratch.release();
        }
        // ofp_error_experimenter_msg (OF1.3 section A.4.4): type 0xffff, exp_code, experimenter, data.
        int data = Math.min(offending.length, 0xffff - 16);
        int length = 16 + data;
        ByteBuf b = alloc.buffer(length);
        header(b, OFPT_ERROR, length, xid);
        b.writeShort(OFPET_EXPERIMENTER).writeShort(ET_BUNDLE_CONTROL + code).writeInt((int) ONF_EXPERIMENTER);
        b.writeBytes(offending, 0, data);
        return b;
    }

    private static void header(ByteBuf b, int type, int length, long xid) {
        b.writeByte(OFVersion.OF_13.getWireVersion()).writeByte(type).writeShort(length).writeInt((int) xid);
    }
}
