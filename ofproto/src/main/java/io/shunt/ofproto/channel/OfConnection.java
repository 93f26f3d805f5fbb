package io.shunt.ofproto.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.shunt.ofproto.OfErrorException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFAsyncSet;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFConfigFlags;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFNiciraControllerRole;
import org.projectfloodlight.openflow.protocol.OFNiciraControllerRoleRequest;
import org.projectfloodlight.openflow.protocol.OFRoleRequest;
import org.projectfloodlight.openflow.protocol.OFSetConfig;
import org.projectfloodlight.openflow.protocol.OFSwitchConfigFailedCode;
import org.projectfloodlight.openflow.protocol.OFBundleCtrlMsg;
import org.projectfloodlight.openflow.protocol.OFTableFeaturesStatsRequest;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenFlow connection of a bridge, switch side: the last handler of its
 * Netty pipeline and the {@link ControllerConnection} the switch's semantics
 * talk to. It runs the {@link ConnectionState} machine, answers the
 * connection-level requests itself (ECHO, GET/SET_CONFIG, ROLE_REQUEST,
 * GET/SET_ASYNC, BARRIER) and hands every other request to the
 * {@link MessageHandler} inline: the channel is registered on the bridge's
 * control thread, so the handler runs on that one thread, in arrival order.
 *
 * <p>Slow peers. Output beyond the channel's high water mark makes the
 * channel unwritable; from then until it drains below the low water mark
 * the connection stops reading (its requests wait in the peer's TCP send
 * buffer, so a controller that does not read its replies cannot grow our
 * memory), and asynchronous messages to it (PACKET_IN, FLOW_REMOVED,
 * PORT_STATUS, ROLE_STATUS, TABLE_STATUS) are dropped and counted, like
 * the packet-in backlog limit of Open vSwitch's rconn. Replies are never
 * dropped: they are bounded by the requests already read. A peer that
 * neither reads nor sends for two probe intervals is disconnected by the
 * inactivity probe.
 */
public final class OfConnection extends ChannelInboundHandlerAdapter implements ControllerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(OfConnection.class);
    /** An OFPT_ERROR's own header is 12 bytes; its data must keep the message within 65535. */
    private static final int MAX_ERROR_DATA = 0xFFFF - 12;
    private static final int DEFAULT_MISS_SEND_LEN = 128;

    private final Channel channel;
    private final String peer;
    private final ChannelSettings settings;
    private final MessageHandler handler;
    private final ControllerRoles roles;
    private final FragmentHandling fragments;
    private final String origin;
    private final boolean primary;
    private final OfChannelInitializer.Registry registry;

    private ConnectionState state = ConnectionState.WAIT_HELLO;
    private OFFactory factory;
    private OFControllerRole role = OFControllerRole.ROLE_EQUAL;
    private AsyncConfig async;
    private int missSendLength = DEFAULT_MISS_SEND_LEN;
    private boolean everEstablished;
    private boolean echoOutstanding;
    private boolean inRead;
    private boolean flushPending;
    private long nextXid = 0x5_0000_0000L;

    private long received;
    private long sent;
    private long errorsSent;
    private long asyncDropped;

    OfConnection(Channel channel, String peer, String origin, boolean primary, BridgeChannelContext bridge,
                 OfChannelInitializer.Registry registry) {
        this.channel = channel;
        this.primary = primary;
        this.peer = peer;
        this.settings = bridge.settings();
        this.handler = bridge.handler();
        this.roles = bridge.roles();
        this.fragments = bridge.fragments();
        this.origin = origin;
        this.registry = registry;
        this.factory = OfVersions.factory(highestOffered());
    }

    // ---- ControllerConnection ---------------------------------------------------------------

    @Override
    public OFFactory factory() {
        return factory;
    }

    @Override
    public void send(OFMessage message) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> send(message));
            return;
        }
        if (state == ConnectionState.CLOSED || !channel.isActive()) {
            return;
        }
        if (message.getVersion() != factory.getVersion()) {
            if (factory.getVersion() == OFVersion.OF_13 && message instanceof OFBundleCtrlMsg reply) {
                // A bundle reply to an ONF bundle request (OnfBundles): back in the extension's encoding.
                sent++;
                writeRaw(OnfBundles.encodeReply(reply, channel.alloc()));
                return;
            }
            LOG.error("{}: dropping {} built for {} on a connection that speaks {}", peer, message.getType(),
                    message.getVersion(), factory.getVersion());
            return;
        }
        if (isAsynchronous(message.getType()) && !channel.isWritable()) {
            if (asyncDropped++ % 1000 == 0) {
                LOG.warn("{}: controller is not reading, dropping asynchronous messages ({} dropped so far)",
                        peer, asyncDropped);
            }
            return;
        }
        sent++;
        write(message);
    }

    /**
     * Inside a read batch, replies are only queued and go out in one flush at the end of the
     * batch (channelReadComplete); a large reply (a 100k-flow dump) is flushed as soon as it
     * passes the high water mark, so that it streams instead of piling up in memory.
     */
    private void writeRaw(ByteBuf bytes) {
        if (inRead && channel.isWritable()) {
            channel.write(bytes, channel.voidPromise());
            flushPending = true;
        } else {
            channel.writeAndFlush(bytes, channel.voidPromise());
        }
    }

    private void write(OFMessage message) {
        if (inRead && channel.isWritable()) {
            channel.write(message, channel.voidPromise());
            flushPending = true;
        } else {
            channel.writeAndFlush(message, channel.voidPromise());
        }
    }

    @Override
    public OFControllerRole role() {
        return role;
    }

    @Override
    public boolean wantsAsync(OFType type, int reason) {
        return state == ConnectionState.ESTABLISHED && async.wants(role, type, reason);
    }

    @Override
    public int missSendLength() {
        return missSendLength;
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public ScheduledExecutorService controlThread() {
        return channel.eventLoop();
    }

    // ---- management ----------------------------------------------------------------------------

    public ConnectionState state() {
        return state;
    }

    /** Whether HELLO ever completed on this connection (resets an active controller's back-off). */
    boolean everEstablished() {
        return everEstablished;
    }

    /** The listener or controller target this connection came from. */
    @Override
    public boolean isPrimary() {
        return primary;
    }

    String origin() {
        return origin;
    }

    /** A snapshot for management tools; call on the control thread. */
    public ConnectionInfo info() {
        return new ConnectionInfo(peer, origin, state, state == ConnectionState.ESTABLISHED ? factory.getVersion() : null,
                role, received, sent, errorsSent, asyncDropped);
    }

    public void close() {
        channel.close();
    }

    // ---- Netty ---------------------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        LOG.debug("{}: connected, sending HELLO offering {}", peer, settings.versions().describe());
        registry.opened(this);
        channel.writeAndFlush(settings.versions().hello(xid()), channel.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        echoOutstanding = false;
        inRead = true;
        if (msg instanceof OfFrameDecoder.LostFraming lost) {
            lostFraming(lost);
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        try {
            received++;
            state.process(this, frame);
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        if (flushPending) {
            flushPending = false;
            channel.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = channel.isWritable();
        // Stop reading requests while replies cannot drain (see class comment).
        channel.config().setAutoRead(writable);
        LOG.debug("{}: output {} (pending {} bytes)", peer, writable ? "drained, reading again" : "backlogged, pausing reads",
                channel.unsafe().outboundBuffer() == null ? 0 : channel.unsafe().outboundBuffer().totalPendingWriteBytes());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (state == ConnectionState.WAIT_HELLO) {
                // No version agreed, so no ECHO to send: a peer silent before its HELLO is dropped.
                LOG.warn("{}: no HELLO within {}, disconnecting", peer, settings.inactivityProbe());
                channel.close();
            } else if (!echoOutstanding) {
                echoOutstanding = true;
                LOG.debug("{}: idle for {}, sending inactivity probe", peer, settings.inactivityProbe());
                channel.writeAndFlush(factory.buildEchoRequest().setXid(xid()).build(), channel.voidPromise());
            } else {
                LOG.warn("{}: no response to inactivity probe after {}, disconnecting", peer,
                        settings.inactivityProbe().multipliedBy(2));
                channel.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ConnectionState was = state;
        state = ConnectionState.CLOSED;
        if (everEstablished) {
            roles.remove(this);
            try {
                handler.disconnected(this);
            } catch (RuntimeException e) {
                LOG.error("{}: switch failed to handle disconnection", peer, e);
            }
        }
        LOG.info("{}: connection closed in state {} (received {}, sent {}, errors sent {}, async dropped {})",
                peer, was, received, sent, errorsSent, asyncDropped);
        registry.closed(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof io.netty.handler.codec.EncoderException) {
            // One message the switch built cannot be written in this version: a bug on our side,
            // not the peer's; drop that message and keep the connection.
            LOG.error("{}: could not encode an outgoing {} message, dropped", peer, factory.getVersion(), cause);
            return;
        }
        if (cause instanceof java.io.IOException) {
            // The peer reset or vanished: an ordinary end of a connection.
            LOG.debug("{}: I/O error in state {}: {}", peer, state, cause.toString());
        } else {
            LOG.warn("{}: closing connection in state {} after error: {}", peer, state, cause.toString());
        }
        channel.close();
    }

    // ---- state machine actions (called by ConnectionState) -----------------------------------

    OfVersions versions() {
        return settings.versions();
    }

    /**
     * Decodes a peer's HELLO. A HELLO from a version newer than Loxi knows
     * still has the 1.3+ layout (header plus hello elements), so it is read
     * as a 1.5 HELLO after rewriting the version byte of a copy.
     */
    OFHello decodeHello(ByteBuf frame, int wireVersion) {
        ByteBuf view = frame;
        boolean copied = false;
        if (wireVersion > OFVersion.OF_15.getWireVersion()) {
            view = frame.copy();
            view.setByte(view.readerIndex(), OFVersion.OF_15.getWireVersion());
            copied = true;
        } else if (OfVersions.wireToVersion(wireVersion) == null) {
            return null;
        }
        try {
            OFMessage m = OFFactories.getGenericReader().readFrom(view.duplicate());
            return m instanceof OFHello hello ? hello : null;
        } catch (OFParseError | RuntimeException e) {
            LOG.debug("{}: undecodable HELLO: {}", peer, e.toString());
            return null;
        } finally {
            if (copied) {
                view.release();
            }
        }
    }

    void establish(OFVersion version) {
        factory = OfVersions.factory(version);
        async = AsyncConfig.defaults(version);
        state = ConnectionState.ESTABLISHED;
        everEstablished = true;
        roles.add(this);
        LOG.info("{}: established, OpenFlow {}", peer, version);
        handler.connected(this);
    }

    /** OFPET_HELLO_FAILED/INCOMPATIBLE with an ASCII explanation, then close (OF1.3 section 6.3.1). */
    void helloFailed(int peerWireVersion, String why) {
        LOG.warn("{}: HELLO failed: {}", peer, why);
        OFFactory f = OfVersions.factory(settings.versions().errorVersion(peerWireVersion));
        OFErrorMsg error = f.errorMsgs().buildHelloFailedErrorMsg()
                .setXid(0)
                .setCode(OFHelloFailedCode.INCOMPATIBLE)
                .setData(OFErrorCauseData.of(why.getBytes(StandardCharsets.US_ASCII), f.getVersion()))
                .build();
        errorsSent++;
        state = ConnectionState.CLOSED;
        channel.writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
    }

    /** The framing is lost: OFPBRC_BAD_LEN with what we had, then close (Open vSwitch does the same). */
    private void lostFraming(OfFrameDecoder.LostFraming lost) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        LOG.warn("{}: message length {} is shorter than the OpenFlow header (type {}, xid {}), closing",
                peer, lost.length(), lost.type(), lost.xid());
        OFFactory f = state == ConnectionState.ESTABLISHED ? factory
                : OfVersions.factory(settings.versions().errorVersion(lost.version()));
        OFErrorMsg error = OfErrorException.badRequest(OFBadRequestCode.BAD_LEN, "length < 8")
                .toMessage(f.errorMsgs(), f.getVersion(), lost.xid(), lost.bytes());
        errorsSent++;
        state = ConnectionState.CLOSED;
        channel.writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
    }

    /** Answers a refused request with its OFPT_ERROR, carrying the request's bytes; the connection lives on. */
    void sendError(OfErrorException e, long xid, int wireType, ByteBuf frame) {
        if (wireType == 1) {
            // Never answer an OFPT_ERROR with an error: two peers could ping-pong forever.
            LOG.debug("{}: ignoring undecodable OFPT_ERROR: {}", peer, e.getMessage());
            return;
        }
        LOG.debug("{}: refusing request type {} xid {}: {}", peer, wireType, xid, e.getMessage());
        byte[] offending = ByteBufUtil.getBytes(frame, frame.readerIndex(), Math.min(frame.readableBytes(), MAX_ERROR_DATA));
        if (factory.getVersion() == OFVersion.OF_13) {
            // Bundle errors (also those of ONF bundle requests) exist in OF1.3 only as ONF experimenter errors.
            ByteBuf onf = OnfBundles.encodeError(e, xid, offending, channel.alloc());
            if (onf != null) {
                errorsSent++;
                sent++;
                writeRaw(onf);
                return;
            }
        }
        // toMessage falls back to the nearest error the negotiated version can encode.
        OFErrorMsg error = e.toMessage(factory.errorMsgs(), factory.getVersion(), xid, offending);
        errorsSent++;
        sent++;
        write(error);
    }

    /** Connection-level requests are answered here; all others go to the switch. */
    void dispatch(OFMessage m) throws OfErrorException {
        switch (m.getType()) {
            case ECHO_REQUEST -> send(factory.buildEchoReply().setXid(m.getXid())
                    .setData(((OFEchoRequest) m).getData()).build());
            case ECHO_REPLY, HELLO -> { /* any byte received already proved liveness */ }
            case ERROR -> LOG.warn("{}: peer reported an error: {}", peer, m);
            case BARRIER_REQUEST ->
                // Every earlier request of this connection was completed inline on this thread.
                send(factory.buildBarrierReply().setXid(m.getXid()).build());
            case GET_CONFIG_REQUEST -> send(factory.buildGetConfigReply().setXid(m.getXid())
                    .setFlags(fragments.flags()).setMissSendLen(missSendLength).build());
            case SET_CONFIG -> setConfig((OFSetConfig) m);
            case ROLE_REQUEST -> roleRequest((OFRoleRequest) m);
            case GET_ASYNC_REQUEST -> send(async.reply(factory, m.getXid()));
            case SET_ASYNC -> setAsync((OFAsyncSet) m);
            case FEATURES_REPLY, GET_CONFIG_REPLY, PACKET_IN, FLOW_REMOVED, PORT_STATUS, STATS_REPLY,
                 BARRIER_REPLY, QUEUE_GET_CONFIG_REPLY, ROLE_REPLY, GET_ASYNC_REPLY, ROLE_STATUS,
                 TABLE_STATUS, REQUESTFORWARD, CONTROLLER_STATUS ->
                throw OfErrorException.badRequest(OFBadRequestCode.BAD_TYPE,
                        m.getType() + " is sent by switches, not to them");
            default -> {
                if (m instanceof OFNiciraControllerRoleRequest nicira) {
                    niciraRoleRequest(nicira);
                    return;
                }
                if (role == OFControllerRole.ROLE_SLAVE && modifiesState(m)) {
                    throw OfErrorException.badRequest(OFBadRequestCode.IS_SLAVE,
                            m.getType() + " from a slave controller");
                }
                handleBySwitch(m);
            }
        }
    }

    private void handleBySwitch(OFMessage m) throws OfErrorException {
        try {
            handler.handle(m, this);
        } catch (OfErrorException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("{}: switch failed on {} xid {}", peer, m.getType(), m.getXid(), e);
            throw OfErrorException.badRequest(OFBadRequestCode.EPERM, "internal error: " + e);
        }
    }

    private void setConfig(OFSetConfig m) throws OfErrorException {
        if (m.getFlags().contains(OFConfigFlags.FRAG_REASM) && factory.getVersion() != OFVersion.OF_10) {
            throw OfErrorException.switchConfigFailed(OFSwitchConfigFailedCode.BAD_FLAGS,
                    "IP fragment reassembly is not supported");
        }
        fragments.set(m.getFlags());
        missSendLength = m.getMissSendLen();
    }

    private void setAsync(OFAsyncSet m) throws OfErrorException {
        try {
            async.apply(m);
        } catch (IllegalArgumentException e) {
            throw OfErrorException.badRequest(OFBadRequestCode.BAD_TYPE, e.getMessage());
        }
    }

    private void roleRequest(OFRoleRequest m) throws OfErrorException {
        OFControllerRole now = roles.request(this, m.getRole(), m.getGenerationId());
        send(factory.buildRoleReply().setXid(m.getXid()).setRole(now).setGenerationId(roles.generationId()).build());
    }

    /** OF1.0 has no ROLE_REQUEST; Open vSwitch's Nicira extension carries the same roles without generation ids. */
    private void niciraRoleRequest(OFNiciraControllerRoleRequest m) throws OfErrorException {
        OFControllerRole wanted = switch (m.getRole()) {
            case ROLE_MASTER -> OFControllerRole.ROLE_MASTER;
            case ROLE_SLAVE -> OFControllerRole.ROLE_SLAVE;
            case ROLE_OTHER -> OFControllerRole.ROLE_EQUAL;
        };
        OFControllerRole now = roles.requestWithoutGeneration(this, wanted);
        OFNiciraControllerRole reply = switch (now) {
            case ROLE_MASTER -> OFNiciraControllerRole.ROLE_MASTER;
            case ROLE_SLAVE -> OFNiciraControllerRole.ROLE_SLAVE;
            default -> OFNiciraControllerRole.ROLE_OTHER;
        };
        send(factory.buildNiciraControllerRoleReply().setXid(m.getXid()).setRole(reply).build());
    }

    void changeRole(OFControllerRole newRole) {
        role = newRole;
    }

    /** Requests a slave may not send (OF1.3 section 6.3.5). */
    private static boolean modifiesState(OFMessage m) {
        return switch (m.getType()) {
            case FLOW_MOD, GROUP_MOD, PORT_MOD, TABLE_MOD, METER_MOD, PACKET_OUT, BUNDLE_ADD_MESSAGE -> true;
            case STATS_REQUEST -> m instanceof OFTableFeaturesStatsRequest tf && !tf.getEntries().isEmpty();
            default -> false;
        };
    }

    private static boolean isAsynchronous(OFType type) {
        return switch (type) {
            case PACKET_IN, FLOW_REMOVED, PORT_STATUS, ROLE_STATUS, TABLE_STATUS, REQUESTFORWARD -> true;
            default -> false;
        };
    }

    private OFVersion highestOffered() {
        OFVersion max = null;
        for (OFVersion v : settings.versions().allowed()) {
            if (max == null || v.getWireVersion() > max.getWireVersion()) {
                max = v;
            }
        }
        return max;
    }

    private long xid() {
        return nextXid++ & 0xFFFF_FFFFL;
    }

    @Override
    public String toString() {
        return peer + " [" + state + ", " + role + "]";
    }
}
