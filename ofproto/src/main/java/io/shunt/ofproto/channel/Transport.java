package io.shunt.ofproto.channel;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * Which Netty transport the channels use. Netty 4.1's NIO transport has no
 * unix domain sockets (JDK 16's {@code UnixDomainSocketAddress} is only
 * supported by the NIO channels of Netty 4.2), so shunt uses the native
 * epoll transport on Linux, where it serves both TCP and {@code punix:}
 * listeners from one event loop; NIO remains as a fallback for TCP only.
 */
final class Transport {

    private Transport() {}

    static boolean nativeEpoll() {
        return Epoll.isAvailable();
    }

    /** One event loop: the bridge's control thread, which also performs all its channel I/O. */
    static EventLoopGroup controlLoop(ThreadFactory threads) {
        return nativeEpoll() ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
    }

    static Class<? extends ServerChannel> tcpServer() {
        return nativeEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends Channel> tcpClient() {
        return nativeEpoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    static Class<? extends ServerChannel> unixServer() {
        if (!nativeEpoll()) {
            throw new IllegalStateException("punix: listeners need Netty's native epoll transport, unavailable here: "
                    + Epoll.unavailabilityCause());
        }
        return EpollServerDomainSocketChannel.class;
    }
}
