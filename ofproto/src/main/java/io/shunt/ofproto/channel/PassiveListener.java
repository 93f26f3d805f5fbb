package io.shunt.ofproto.channel;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A bound {@code ptcp:} or {@code punix:} listener; each accepted socket becomes an {@link OfConnection}. */
final class PassiveListener {

    private static final Logger LOG = LoggerFactory.getLogger(PassiveListener.class);

    private final ChannelTarget target;
    private final Channel serverChannel;
    private final String boundText;

    private PassiveListener(ChannelTarget target, Channel serverChannel, String boundText) {
        this.target = target;
        this.serverChannel = serverChannel;
        this.boundText = boundText;
    }

    /**
     * Binds a listener. Connections it accepts are primary controllers unless {@code service}
     * (see {@link ControllerConnection#isPrimary()}).
     */
    static PassiveListener bind(ChannelTarget target, EventLoopGroup loop, BridgeChannelContext bridge, boolean service)
            throws InterruptedException {
        ChannelSettings settings = bridge.settings();
        ServerBootstrap b = new ServerBootstrap().group(loop, loop)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(settings.writeLowWaterMark(), settings.writeHighWaterMark()));
        switch (target) {
            case ChannelTarget.PassiveTcp tcp -> {
                b.channel(Transport.tcpServer())
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true);
                Channel ch = bindOrFail(b, new InetSocketAddress(tcp.bindAddress(), tcp.port()), target, bridge, service);
                int port = ((InetSocketAddress) ch.localAddress()).getPort();
                String text = new ChannelTarget.PassiveTcp(port, tcp.bindAddress()).text();
                LOG.info("listening for OpenFlow on {}", text);
                return new PassiveListener(target, ch, text);
            }
            case ChannelTarget.PassiveUnix unix -> {
                deleteStaleSocket(unix.path());
                b.channel(Transport.unixServer());
                Channel ch = bindOrFail(b, new DomainSocketAddress(unix.path().toFile()), target, bridge, service);
                LOG.info("listening for OpenFlow on {}", target.text());
                return new PassiveListener(target, ch, target.text());
            }
            case ChannelTarget.ActiveTcp active ->
                throw new IllegalArgumentException(active.text() + " is an active target, not a listener");
        }
    }

    private static Channel bindOrFail(ServerBootstrap b, java.net.SocketAddress address, ChannelTarget target,
                                      BridgeChannelContext bridge, boolean service) throws InterruptedException {
        b.childHandler(new OfChannelInitializer(bridge, target.text(), !service, bridge.registry()));
        var future = b.bind(address).await();
        if (!future.isSuccess()) {
            throw new IllegalStateException("cannot listen on " + target.text() + ": " + future.cause(), future.cause());
        }
        return future.channel();
    }

    private static void deleteStaleSocket(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove stale socket " + path, e);
        }
    }

    /** The target as configured ("ptcp:0:127.0.0.1"). */
    ChannelTarget target() {
        return target;
    }

    /** The target as bound, with the ephemeral port resolved ("ptcp:40123:127.0.0.1"). */
    String boundTarget() {
        return boundText;
    }

    /** The bound TCP port, or -1 for a unix socket. */
    int port() {
        return serverChannel.localAddress() instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }

    void close() {
        serverChannel.close().awaitUninterruptibly();
        if (target instanceof ChannelTarget.PassiveUnix unix) {
            deleteStaleSocket(unix.path());
        }
    }
}
