package io.shunt.ofproto.stats;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shunt.ofproto.channel.ControllerConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.Writeable;

/**
 * Sends a multipart reply as as many messages as it takes to keep each one
 * under the 64 KiB OpenFlow length limit (OF1.3 section 7.3.5: all but the
 * last carry OFPMPF_REPLY_MORE). Entry sizes are measured by encoding each
 * entry once.
 */
public final class ReplySplitter {
    /** Largest OpenFlow message (16-bit length field). */
    public static final int MAX_MESSAGE = 0xffff;
    /** Room left for the multipart header and a reply's fixed body part. */
    private static final int BUDGET = MAX_MESSAGE - 64;

    private ReplySplitter() {}

    /**
     * @param build makes one reply from a slice of entries and whether more follow
     */
    public static <E extends Writeable> int send(ControllerConnection to, List<E> entries,
                                                 BiFunction<List<E>, Boolean, OFMessage> build) {
        ByteBuf scratch = Unpooled.buffer(2048);
        List<E> part = new ArrayList<>();
        int size = 0;
        int messages = 0;
        try {
            for (E e : entries) {
                scratch.clear();
                e.writeTo(scratch);
                int len = scratch.readableBytes();
                if (!part.isEmpty() && size + len > BUDGET) {
                    to.send(build.apply(part, true));
                    messages++;
                    part = new ArrayList<>();
                    size = 0;
                }
                part.add(e);
                size += len;
            }
            to.send(build.apply(part, false));
            return messages + 1;
        } finally {
            scratch.release();
        }
    }
}
