package io.shunt.ofproto.channel;

import io.netty.buffer.ByteBuf;
import io.shunt.ofproto.OfErrorException;
import java.util.Optional;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * The life of one OpenFlow connection, switch side. Each state handles the
 * frames valid in it; whatever is not valid there is answered in that
 * state's {@code process}, so that an unexpected message has exactly one
 * place where its error is decided.
 *
 * <pre>
 *   channel active ──send HELLO──▶ WAIT_HELLO ──peer HELLO, common version──▶ ESTABLISHED
 *                                      │ no common version / not a HELLO            │ channel closed
 *                                      ▼ (OFPET_HELLO_FAILED, close)                ▼
 *                                    CLOSED ◀───────────────────────────────────── CLOSED
 * </pre>
 */
public enum ConnectionState {

    /** Our HELLO is sent; the peer's HELLO decides the version (OF1.3 section 6.3.1). */
    WAIT_HELLO {
        @Override
        void process(OfConnection c, ByteBuf frame) {
            int wireVersion = frame.getUnsignedByte(frame.readerIndex());
            int type = frame.getUnsignedByte(frame.readerIndex() + 1);
            if (type != HELLO_WIRE_TYPE) {
                c.helloFailed(wireVersion, "expected HELLO as the first message, got message type " + type);
                return;
            }
            OFHello hello = c.decodeHello(frame, wireVersion);
            if (hello == null) {
                c.helloFailed(wireVersion, "undecodable HELLO of version 0x" + Integer.toHexString(wireVersion));
                return;
            }
            Optional<OFVersion> agreed = c.versions().negotiate(wireVersion, hello);
            if (agreed.isEmpty()) {
                c.helloFailed(wireVersion, "no common OpenFlow version: we support " + c.versions().describe()
                        + ", peer's HELLO had version 0x" + Integer.toHexString(wireVersion));
                return;
            }
            c.establish(agreed.get());
        }
    },

    /** Version agreed: connection-level requests are answered here, the rest goes to the switch. */
    ESTABLISHED {
        @Override
        void process(OfConnection c, ByteBuf frame) {
            long xid = frame.getUnsignedInt(frame.readerIndex() + 4);
            int wireVersion = frame.getUnsignedByte(frame.readerIndex());
            int wireType = frame.getUnsignedByte(frame.readerIndex() + 1);
            if (wireVersion != c.factory().getVersion().getWireVersion()) {
                c.sendError(OfErrorException.badRequest(OFBadRequestCode.BAD_VERSION, "message version 0x"
                        + Integer.toHexString(wireVersion) + " on a connection that agreed on "
                        + c.factory().getVersion()), xid, wireType, frame);
                return;
            }
            OFMessage message;
            try {
                message = OnfBundles.isOnfBundle(c.factory().getVersion(), frame)
                        ? OnfBundles.decode(frame)
                        : LoxiDecoding.decode(c.factory().getVersion(), frame);
            } catch (OfErrorException e) {
                c.sendError(e, xid, wireType, frame);
                return;
            }
            try {
                c.dispatch(message);
            } catch (OfErrorException e) {
                c.sendError(e, xid, wireType, frame);
            }
        }
    },

    /** The channel is closed or closing; late frames are dropped. */
    CLOSED {
        @Override
        void process(OfConnection c, ByteBuf frame) {
            // Nothing: the peer is gone or being dropped.
        }
    };

    abstract void process(OfConnection c, ByteBuf frame);

    /** OFPT_HELLO is type 0 in every version. */
    private static final int HELLO_WIRE_TYPE = 0;
}
