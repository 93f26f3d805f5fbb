package io.shunt.ofproto.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the byte stream into OpenFlow messages using the 8-byte header that
 * every version shares (version, type, length, xid; OF1.3 section 7.1).
 * Emits each complete message as a retained slice of exactly {@code length}
 * bytes; decoding the body is left to Loxi further up the pipeline.
 *
 * <p>A length below the header size leaves no way to find the next message:
 * the decoder then emits one {@link LostFraming} carrying the bytes that were
 * buffered, and discards everything the peer sends afterwards (the connection
 * handler answers with OFPBRC_BAD_LEN and closes, as Open vSwitch does). The
 * 16-bit length cannot exceed 65535, so no upper check is needed; a length
 * longer than what arrives only makes the decoder wait for more bytes, which
 * the inactivity probe bounds.
 */
final class OfFrameDecoder extends ByteToMessageDecoder {

    static final int HEADER_LENGTH = 8;
    private static final int LENGTH_OFFSET = 2;

    /** The framing could not be recovered; {@code bytes} is what was buffered (at most 64 bytes). */
    record LostFraming(int version, int type, int length, long xid, byte[] bytes) {}

    private boolean lost;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (lost) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= HEADER_LENGTH) {
            int start = in.readerIndex();
            int length = in.getUnsignedShort(start + LENGTH_OFFSET);
            if (length < HEADER_LENGTH) {
                lost = true;
                byte[] offending = new byte[Math.min(in.readableBytes(), 64)];
                in.getBytes(start, offending);
                out.add(new LostFraming(in.getUnsignedByte(start), in.getUnsignedByte(start + 1), length,
                        in.getUnsignedInt(start + 4), offending));
                in.skipBytes(in.readableBytes());
                return;
            }
            if (in.readableBytes() < length) {
                return;
            }
            out.add(in.readRetainedSlice(length));
        }
    }
}
