package io.shunt.ofproto.channel;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The OpenFlow channels of one bridge: its listeners, its active
 * controllers, its connections, the switch-wide role state, and the one
 * event loop they all run on. {@link io.shunt.ofproto.OpenFlowAgent} is the
 * public face of this class.
 *
 * <p>Threading: the event loop is the bridge's control thread. Channel I/O,
 * decoding, the connection state machines and the {@link MessageHandler}
 * all run on it, as Open vSwitch's ofproto runs in its main loop; requests
 * are therefore handled strictly in order and a flood of requests is held
 * back by TCP rather than by a queue in memory. The methods of this class
 * may be called from any other thread; they run their work on the loop and
 * wait for it.
 */
public final class OfChannels implements OfChannelInitializer.Registry {

    private static final long API_TIMEOUT_SECONDS = 10;

    private final String bridge;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final BridgeChannelContext context;

    // Guarded by "this" (API threads); never touched from the loop.
    private final Map<String, PassiveListener> listeners = new LinkedHashMap<>();
    // Loop-confined.
    private final Map<String, ActiveController> controllers = new LinkedHashMap<>();
    private final Set<OfConnection> connections = new LinkedHashSet<>();
    private boolean stopped;

    public OfChannels(String bridge, MessageHandler handler, ChannelSettings settings) {
        this.bridge = bridge;
        this.group = Transport.controlLoop(new DefaultThreadFactory("ofproto-" + bridge, false));
        this.loop = group.next();
        this.context = new BridgeChannelContext(bridge, settings, handler, new ControllerRoles(bridge),
                new FragmentHandling(), this);
    }

    public EventLoop controlThread() {
        return loop;
    }

    /** Opens a {@code ptcp:} or {@code punix:} listener and returns the bound target (ephemeral port resolved). */
    public String listen(String target) throws InterruptedException {
        return listen(target, false);
    }

    /**
     * Opens a listener whose connections are service connections (tools such as ovs-ofctl on
     * the bridge's management socket), not primary controllers.
     */
    public String listenService(String target) throws InterruptedException {
        return listen(target, true);
    }

    private synchronized String listen(String target, boolean service) throws InterruptedException {
        requireOffLoop("listen");
        ChannelTarget parsed = ChannelTarget.parse(target);
        if (!parsed.passive()) {
            throw new IllegalArgumentException(target + " is not a listener target (ptcp: or punix:)");
        }
        if (stopped) {
            throw new IllegalStateException("bridge " + bridge + " channels are stopped");
        }
        PassiveListener l = PassiveListener.bind(parsed, group, context, service);
        listeners.put(l.boundTarget(), l);
        return l.boundTarget();
    }

    /**
     * Closes a listener, named by the target {@link #listen} returned or the one it was given;
     * its open connections stay.
     */
    public synchronized boolean stopListening(String target) {
        requireOffLoop("stopListening");
        String configured = ChannelTarget.parse(target).text();
        PassiveListener l = listeners.remove(target);
        if (l == null) {
            var it = listeners.values().iterator();
            while (it.hasNext()) {
                PassiveListener candidate = it.next();
                if (candidate.target().text().equals(configured)) {
                    it.remove();
                    l = candidate;
                    break;
                }
            }
        }
        if (l != null) {
            l.close();
        }
        return l != null;
    }

    public synchronized List<String> listeners() {
        return new ArrayList<>(listeners.keySet());
    }

    /** Bound TCP port of a listener, by the target it was opened with or bound as; -1 if none. */
    public synchronized int port(String boundTarget) {
        PassiveListener l = listeners.get(boundTarget);
        return l == null ? -1 : l.port();
    }

    /** Starts connecting to a {@code tcp:HOST:PORT} controller (reconnecting forever with back-off). */
    public void addController(String target) {
        ChannelTarget parsed = ChannelTarget.parse(target);
        if (!(parsed instanceof ChannelTarget.ActiveTcp active)) {
            throw new IllegalArgumentException(target + " is not a controller target (tcp:HOST:PORT)");
        }
        onLoop(() -> {
            if (stopped) {
                throw new IllegalStateException("bridge " + bridge + " channels are stopped");
            }
            controllers.computeIfAbsent(active.text(), t -> {
                ActiveController c = new ActiveController(active, loop, context);
                c.start();
                return c;
            });
            return null;
        });
    }

    /** Stops connecting to a controller and closes its connection; false if it was not configured. */
    public boolean removeController(String target) {
        String key = ChannelTarget.parse(target).text();
        return onLoop(() -> {
            ActiveController c = controllers.remove(key);
            if (c != null) {
                c.stop();
            }
            return c != null;
        });
    }

    public List<ActiveController.Status> controllers() {
        return onLoop(() -> controllers.values().stream().map(ActiveController::status).toList());
    }

    public List<ConnectionInfo> connections() {
        return onLoop(() -> connections.stream().map(OfConnection::info).toList());
    }

    /** Closes listeners, controllers and connections, then the control thread. */
    public void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            requireOffLoop("stop");
            for (PassiveListener l : listeners.values()) {
                l.close();
            }
            listeners.clear();
        }
        onLoop(() -> {
            stopped = true;
            controllers.values().forEach(ActiveController::stop);
            controllers.clear();
            new ArrayList<>(connections).forEach(OfConnection::close);
            return null;
        });
        // Let the closes run their channelInactive (handler.disconnected) before the loop ends.
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public void opened(OfConnection connection) {
        connections.add(connection);
    }

    @Override
    public void closed(OfConnection connection) {
        connections.remove(connection);
    }

    private <T> T onLoop(Callable<T> work) {
        if (loop.inEventLoop()) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return loop.submit(work).get(API_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the control thread of " + bridge, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("control thread of bridge " + bridge + " did not answer within "
                    + API_TIMEOUT_SECONDS + " s", e);
        }
    }

    private void requireOffLoop(String what) {
        if (loop.inEventLoop()) {
            throw new IllegalStateException(what + " waits for a socket bind and cannot run on the control thread");
        }
    }
}
