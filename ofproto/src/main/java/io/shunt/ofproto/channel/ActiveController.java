package io.shunt.ofproto.channel;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code tcp:HOST:PORT} controller that the switch keeps connecting to,
 * like Open vSwitch's rconn: after a failed attempt or a lost connection it
 * waits, starting at the initial back-off and doubling up to the maximum;
 * a connection that reached ESTABLISHED resets the back-off. All methods
 * run on the control thread.
 */
public final class ActiveController {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveController.class);

    /** Where the controller connection is in its reconnect cycle. */
    public enum Phase { CONNECTING, CONNECTED, BACKOFF, STOPPED }

    /** A snapshot for management tools. */
    public record Status(String target, Phase phase, Duration backoff, int attempts) {}

    private final ChannelTarget.ActiveTcp target;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final ChannelSettings settings;

    private Phase phase = Phase.STOPPED;
    private Duration backoff;
    private int attempts;
    private Channel channel;
    private OfConnection connection;
    private ScheduledFuture<?> retry;

    ActiveController(ChannelTarget.ActiveTcp target, EventLoop loop, BridgeChannelContext bridge) {
        ChannelSettings settings = bridge.settings();
        OfChannelInitializer.Registry registry = bridge.registry();
        this.target = target;
        this.loop = loop;
        this.settings = settings;
        this.backoff = settings.initialBackoff();
        OfChannelInitializer.Registry tracking = new OfChannelInitializer.Registry() {
            @Override
            public void opened(OfConnection c) {
                connection = c;
                registry.opened(c);
            }

            @Override
            public void closed(OfConnection c) {
                registry.closed(c);
                connectionClosed(c);
            }
        };
        this.bootstrap = new Bootstrap().group(loop).channel(Transport.tcpClient())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(settings.writeLowWaterMark(), settings.writeHighWaterMark()))
                .handler(new OfChannelInitializer(bridge, target.text(), true, tracking));
    }

    String target() {
        return target.text();
    }

    void start() {
        assert loop.inEventLoop();
        if (phase == Phase.STOPPED) {
            connect();
        }
    }

    void stop() {
        assert loop.inEventLoop();
        phase = Phase.STOPPED;
        if (retry != null) {
            retry.cancel(false);
        }
        if (channel != null) {
            channel.close();
        }
    }

    Status status() {
        return new Status(target.text(), phase, backoff, attempts);
    }

    private void connect() {
        phase = Phase.CONNECTING;
        attempts++;
        LOG.debug("connecting to controller {} (attempt {})", target.text(), attempts);
        ChannelFuture f = bootstrap.connect(target.host(), target.port());
        channel = f.channel();
        f.addListener(done -> {
            if (phase == Phase.STOPPED) {
                f.channel().close();
            } else if (done.isSuccess()) {
                phase = Phase.CONNECTED;
                LOG.info("connected to controller {}", target.text());
            } else {
                LOG.info("connection to controller {} failed: {}; retrying in {}", target.text(),
                        done.cause() == null ? "cancelled" : done.cause().getMessage(), backoff);
                scheduleRetry();
            }
        });
    }

    private void connectionClosed(OfConnection c) {
        boolean wasEstablished = c.everEstablished();
        if (c == connection) {
            connection = null;
        }
        if (phase == Phase.STOPPED || phase == Phase.BACKOFF) {
            return;
        }
        if (wasEstablished) {
            backoff = settings.initialBackoff();
        }
        LOG.info("lost controller {}; reconnecting in {}", target.text(), backoff);
        scheduleRetry();
    }

    private void scheduleRetry() {
        phase = Phase.BACKOFF;
        Duration wait = backoff;
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
        retry = loop.schedule(() -> {
            if (phase == Phase.BACKOFF) {
                connect();
            }
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
    }
}
