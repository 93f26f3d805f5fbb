package io.shunt.ofproto.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.projectfloodlight.openflow.protocol.OFMessage;

/** Writes each outgoing message with Loxi; Loxi fills in the header's length. */
@Sharable
final class OfMessageEncoder extends MessageToByteEncoder<OFMessage> {

    static final OfMessageEncoder INSTANCE = new OfMessageEncoder();

    private OfMessageEncoder() {
        super(OFMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, OFMessage message, ByteBuf out) {
        message.writeTo(out);
    }
}
