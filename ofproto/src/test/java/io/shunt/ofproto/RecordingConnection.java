package io.shunt.ofproto;

import io.shunt.ofproto.channel.ControllerConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * A controller connection for in-process tests: a real implementation of
 * the interface whose peer is the test itself. It keeps what the switch
 * sends, in order, and can refuse chosen asynchronous messages as a
 * SET_ASYNC configuration would.
 */
public final class RecordingConnection implements ControllerConnection {
    private final OFFactory factory;
    private final List<OFMessage> sent = new ArrayList<>();
    private final Set<OFType> refusedAsync = new HashSet<>();
    private int missSendLength = 128;
    private final String name;

    public RecordingConnection(OFVersion version, String name) {
        this.factory = OFFactories.getFactory(version);
        this.name = name;
    }

    public RecordingConnection(OFVersion version) {
        this(version, "test:" + version);
    }

    @Override public OFFactory factory() { return factory; }
    /**
     * Encodes the message as the channel would before keeping it: a message
     * that the negotiated version cannot carry fails here, as it would on
     * the wire.
     */
    @Override public synchronized void send(OFMessage message) {
        if (message.getVersion() != factory.getVersion()) {
            throw new AssertionError("sent an " + message.getVersion() + " message on an " + factory.getVersion() + " connection: " + message);
        }
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer();
        try {
            message.writeTo(buf);
            if (buf.readableBytes() > 0xffff) throw new AssertionError("message of " + buf.readableBytes() + " bytes: " + message.getType());
            // Loxi 3.6.605 cannot decode a correctly padded OF1.5 next-tables property (see PaddedTableFeatureProp):
            // for that reply only the encoding is checked; ovs-ofctl reads it (OvsOfctlEndToEndTest).
            // Nor can it read OF1.5 OXS counters with the spec's field numbers (see Of15Stats): flow stats,
            // aggregate stats and FLOW_REMOVED are checked by ovs-ofctl (OvsOfctlEndToEndTest) and Of15StatsTest.
            boolean loxiCannotRead = message.getVersion() == OFVersion.OF_15
                    && (message instanceof org.projectfloodlight.openflow.protocol.OFTableFeaturesStatsReply
                        || message instanceof org.projectfloodlight.openflow.protocol.OFFlowStatsReply
                        || message instanceof org.projectfloodlight.openflow.protocol.OFAggregateStatsReply
                        || message instanceof org.projectfloodlight.openflow.protocol.OFFlowRemoved);
            if (!loxiCannotRead) {
                OFMessage back = factory.getReader().readFrom(buf);
                if (back == null) throw new AssertionError("could not decode what was encoded: " + message.getType());
            }
        } catch (org.projectfloodlight.openflow.exceptions.OFParseError e) {
            throw new AssertionError("sent " + message.getType() + " (xid " + message.getXid() + ") does not decode", e);
        } finally {
            buf.release();
        }
        sent.add(message);
        lastSenderThread = Thread.currentThread().getName();
    }

    private volatile String lastSenderThread;

    /** The thread that sent the latest message (the switch must send from its control thread). */
    public String lastSenderThread() {
        return lastSenderThread;
    }
    @Override public OFControllerRole role() { return OFControllerRole.ROLE_EQUAL; }
    @Override public boolean wantsAsync(OFType type, int reason) { return !refusedAsync.contains(type); }
    @Override public int missSendLength() { return missSendLength; }
    @Override public String peer() { return name; }

    /** In-process tests run the switch on the test thread; there is no separate control thread. */
    @Override public ScheduledExecutorService controlThread() {
        throw new UnsupportedOperationException("in-process test connection has no control thread");
    }

    public void refuseAsync(OFType type) { refusedAsync.add(type); }
    public void missSendLength(int n) { missSendLength = n; }

    /** Everything sent since the last call, in order. */
    public synchronized List<OFMessage> take() {
        List<OFMessage> out = List.copyOf(sent);
        sent.clear();
        return out;
    }

    /** Messages of one class sent since the last take, without consuming. */
    public synchronized <T extends OFMessage> List<T> peek(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (OFMessage m : sent) if (type.isInstance(m)) out.add(type.cast(m));
        return out;
    }
}
