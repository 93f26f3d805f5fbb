package io.shunt.ctl.openflow;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.ExitCode;
import io.shunt.ctl.transport.UnixStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U32;

/**
 * A plain, blocking OpenFlow 1.3 client for one bridge, over the bridge's
 * Unix-socket listener ({@code <run-dir>/<bridge>.mgmt}), the way ovs-ofctl
 * talks to Open vSwitch: HELLO exchange (OpenFlow 1.3 section 6.3.1),
 * requests with their own xid, multipart replies gathered until one comes
 * without OFPMPF_REPLY_MORE, and a BARRIER after changes so that the command
 * returns only once the switch has processed them (and any OFPT_ERROR they
 * caused has arrived).
 *
 * <p>Messages are encoded and decoded by OpenFlowJ-Loxi. Echo requests from
 * the switch are answered while waiting; other asynchronous messages
 * (port-status, packet-in) are not ours to handle and are skipped.
 */
public final class OpenFlowClient implements AutoCloseable {

    public static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

    /** OpenFlow's length field is 16 bits. */
    private static final int MAX_MESSAGE = 0xffff;
    private static final int HEADER = 8;

    private final UnixStream stream;
    private final String peer;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);
    /** Errors that answered earlier requests, by xid, kept until someone asks (see {@link #barrier()}). */
    private final Map<Long, OFErrorMsg> pendingErrors = new LinkedHashMap<>();
    private long nextXid = 1;

    private OpenFlowClient(UnixStream stream, String peer) {
        this.stream = stream;
        this.peer = peer;
    }

    /**
     * Connects to {@code socket} and negotiates OpenFlow 1.3.
     *
     * @param peer how the switch is named in errors ("bridge br0")
     */
    public static OpenFlowClient connect(Path socket, String peer, Duration timeout) throws CtlFailure {
        UnixStream stream = UnixStream.connect(socket, peer, timeout,
                "is shunt-vswitchd running, and does the bridge exist? see 'shunt-ctl list-br'");
        OpenFlowClient client = new OpenFlowClient(stream, peer);
        try {
            client.hello();
            return client;
        } catch (CtlFailure | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    public OFFactory factory() {
        return OF13;
    }

    private void hello() throws CtlFailure {
        OFHelloElem bitmap = OF13.buildHelloElemVersionbitmap()
                .setBitmaps(List.of(U32.of(1L << OFVersion.OF_13.getWireVersion())))
                .build();
        send(OF13.buildHello().setElements(List.of(bitmap)).build());
        OFMessage first = read();
        if (first instanceof OFErrorMsg error) {
            throw new CtlFailure(ExitCode.OPENFLOW_ERROR, peer + " refused the OpenFlow handshake: "
                    + OpenFlowErrorText.describe(error));
        }
        if (!(first instanceof OFHello peerHello)) {
            throw new CtlFailure(ExitCode.PROTOCOL_ERROR, peer + " did not start with HELLO but with " + first.getType());
        }
        if (!speaks13(peerHello)) {
            throw new CtlFailure(ExitCode.OPENFLOW_ERROR, peer + " does not speak OpenFlow 1.3 (its HELLO offers version "
                    + peerHello.getVersion() + " without 1.3 in its version bitmap)");
        }
    }

    /** OpenFlow 1.3 section 7.5.1: the bitmap, when present, decides; else the header version is the highest the peer has. */
    private static boolean speaks13(OFHello hello) {
        int bit = OFVersion.OF_13.getWireVersion();
        for (OFHelloElem elem : hello.getElements()) {
            if (elem instanceof OFHelloElemVersionbitmap versions) {
                List<U32> words = versions.getBitmaps();
                return words.size() > bit / 32 && (words.get(bit / 32).getValue() & (1L << (bit % 32))) != 0;
            }
        }
        return hello.getVersion().getWireVersion() >= bit;
    }

    /** Sends {@code message} with a fresh xid, which it returns. */
    public long send(OFMessage message) throws CtlFailure {
        long xid = nextXid++;
        OFMessage withXid = message.createBuilder().setXid(xid).build();
        ByteBuf buf = Unpooled.buffer(256);
        try {
            withXid.writeTo(buf);
            stream.writeFully(buf.nioBuffer());
        } finally {
            buf.release();
        }
        return xid;
    }

    /**
     * Sends a BARRIER and waits for its reply. Returns the errors that
     * answered any request sent before it, by xid, in arrival order; the
     * switch processes requests in order before replying to a barrier
     * (OpenFlow 1.3 section 6.2), so after this no more can come.
     */
    public Map<Long, OFErrorMsg> barrier() throws CtlFailure {
        OFMessage m = answerTo(send(OF13.barrierRequest()), "BARRIER");
        if (!(m instanceof OFBarrierReply)) {
            throw new CtlFailure(ExitCode.PROTOCOL_ERROR, peer + " answered BARRIER with " + m.getType());
        }
        Map<Long, OFErrorMsg> errors = new LinkedHashMap<>(pendingErrors);
        pendingErrors.clear();
        return errors;
    }

    /** Sends one change and confirms it with a barrier; an OFPT_ERROR for it becomes a failure naming {@code what}. */
    public void change(OFMessage message, String what) throws CtlFailure {
        long xid = send(message);
        OFErrorMsg error = barrier().get(xid);
        if (error != null) {
            throw new CtlFailure(ExitCode.OPENFLOW_ERROR, peer + " refused " + what + ": " + OpenFlowErrorText.describe(error));
        }
    }

    /** Sends a request and returns the first message answering it (same xid). */
    public OFMessage request(OFMessage message, String what) throws CtlFailure {
        return answerTo(send(message), what);
    }

    /** Sends a multipart request and gathers every part of its reply (OpenFlow 1.3 section 7.3.5). */
    public <R extends OFStatsReply> List<R> multipart(OFStatsRequest<R> request, Class<R> replyType, String what)
            throws CtlFailure {
        long xid = send(request);
        List<R> parts = new ArrayList<>();
        while (true) {
            OFMessage m = answerTo(xid, what);
            if (!replyType.isInstance(m)) {
                throw new CtlFailure(ExitCode.PROTOCOL_ERROR, peer + " answered " + what + " with " + m.getType()
                        + " instead of " + replyType.getSimpleName());
            }
            R part = replyType.cast(m);
            parts.add(part);
            if (!part.getFlags().contains(OFStatsReplyFlags.REPLY_MORE)) {
                return parts;
            }
        }
    }

    /**
     * Reads until a message with {@code xid} arrives and returns it; an OFPT_ERROR with that xid fails
     * the request (exit 4). Errors answering earlier requests are kept for {@link #barrier()}; other
     * asynchronous messages are skipped.
     */
    private OFMessage answerTo(long xid, String what) throws CtlFailure {
        while (true) {
            OFMessage m = read();
            if (m.getXid() != xid) {
                if (m instanceof OFErrorMsg error) {
                    pendingErrors.put(error.getXid(), error);
                }
                continue;
            }
            if (m instanceof OFErrorMsg error) {
                throw new CtlFailure(ExitCode.OPENFLOW_ERROR, peer + " refused " + what + ": " + OpenFlowErrorText.describe(error));
            }
            return m;
        }
    }

    /** Reads the next message that is not an echo request (those are answered here). */
    private OFMessage read() throws CtlFailure {
        while (true) {
            header.clear();
            stream.readFully(header, "an OpenFlow message was expected");
            int length = header.getShort(2) & 0xffff;
            if (length < HEADER || length > MAX_MESSAGE) {
                throw new CtlFailure(ExitCode.PROTOCOL_ERROR, peer + " sent a message with impossible length " + length);
            }
            ByteBuffer whole = ByteBuffer.allocate(length);
            whole.put(header.array());
            stream.readFully(whole, "reading a message of " + length + " bytes");
            whole.flip();
            OFMessage m;
            try {
                m = OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(whole));
            } catch (OFParseError e) {
                throw new CtlFailure(ExitCode.PROTOCOL_ERROR, peer + " sent a message that does not decode (type "
                        + (whole.get(1) & 0xff) + ", " + length + " bytes): " + e.getMessage());
            }
            if (m == null) {
                throw new CtlFailure(ExitCode.PROTOCOL_ERROR, peer + " sent a truncated message of " + length + " bytes");
            }
            if (m instanceof OFEchoRequest echo) {
                ByteBuf buf = Unpooled.buffer(HEADER + echo.getData().length);
                OF13.buildEchoReply().setXid(echo.getXid()).setData(echo.getData()).build().writeTo(buf);
                stream.writeFully(buf.nioBuffer());
                continue;
            }
            return m;
        }
    }

    @Override
    public void close() {
        stream.close();
    }
}
