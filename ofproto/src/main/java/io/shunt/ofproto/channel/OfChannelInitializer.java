package io.shunt.ofproto.channel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the pipeline of one OpenFlow connection:
 * <pre>
 *   socket ⇄ IdleStateHandler (inactivity probe) ⇄ OfFrameDecoder / OfMessageEncoder ⇄ OfConnection
 * </pre>
 */
public final class OfChannelInitializer extends ChannelInitializer<Channel> {

    /** Told when a connection opens and closes, on the control thread. */
    public interface Registry {
        void opened(OfConnection connection);

        void closed(OfConnection connection);
    }

    private final BridgeChannelContext bridge;
    private final String origin;
    private final boolean primary;
    private final Registry registry;
    private final AtomicLong unixSequence = new AtomicLong();

    OfChannelInitializer(BridgeChannelContext bridge, String origin, boolean primary, Registry registry) {
        this.bridge = bridge;
        this.primary = primary;
        this.origin = origin;
        this.registry = registry;
    }

    @Override
    protected void initChannel(Channel ch) {
        OfConnection connection = new OfConnection(ch, peerName(ch), origin, primary, bridge, registry);
        long probeMillis = bridge.settings().inactivityProbe().toMillis();
        if (probeMillis > 0) {
            // observeOutput: a peer that is slowly draining a large reply is not idle.
            ch.pipeline().addLast("inactivity-probe", new IdleStateHandler(true, 0, 0, probeMillis, TimeUnit.MILLISECONDS));
        }
        ch.pipeline().addLast("framing", new OfFrameDecoder());
        ch.pipeline().addLast("encoder", OfMessageEncoder.INSTANCE);
        ch.pipeline().addLast("connection", connection);
    }

    private String peerName(Channel ch) {
        if (origin.startsWith("tcp:")) {
            // An active connection is named by its target; it has no remote address before connecting.
            return origin;
        }
        SocketAddress remote = ch.remoteAddress();
        if (remote instanceof InetSocketAddress inet) {
            return "tcp:" + inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        // A unix-socket peer has no address of its own; number the connections of the listener.
        String path = origin.startsWith("punix:") ? origin.substring("punix:".length()) : origin;
        return "unix:" + path + "#" + unixSequence.incrementAndGet();
    }
}
