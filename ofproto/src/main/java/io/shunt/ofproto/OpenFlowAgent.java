package io.shunt.ofproto;

import io.shunt.ofproto.channel.ActiveController;
import io.shunt.ofproto.channel.ChannelSettings;
import io.shunt.ofproto.channel.ChannelTarget;
import io.shunt.ofproto.channel.ConnectionInfo;
import io.shunt.ofproto.channel.MessageHandler;
import io.shunt.ofproto.channel.OfChannels;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenFlow agent of one bridge: its listeners ({@code ptcp:PORT[:IP]},
 * {@code punix:PATH}), its controllers ({@code tcp:HOST:PORT}, reconnected
 * with back-off) and their connections, all feeding one
 * {@link MessageHandler} (the switch's OpenFlow semantics) on one control
 * thread.
 *
 * <pre>{@code
 * OpenFlowAgent agent = new OpenFlowAgent("br0", handler);
 * agent.start();
 * String bound = agent.listen("ptcp:0:127.0.0.1");    // "ptcp:40123:127.0.0.1"
 * agent.listen("punix:/run/shunt/br0.mgmt");           // ovs-ofctl ... unix:/run/shunt/br0.mgmt
 * agent.addController("tcp:10.0.0.1:6653");
 * agent.connections();                                  // peer, state, version, role, counters
 * agent.stop();
 * }</pre>
 *
 * <p>The control thread ({@link #controlThread()}) exists from construction,
 * so the switch can schedule its timers on it before the agent starts.
 */
public final class OpenFlowAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenFlowAgent.class);

    private final String bridge;
    private final OfChannels channels;
    private volatile boolean started;

    public OpenFlowAgent(String bridge, MessageHandler handler) {
        this(bridge, handler, ChannelSettings.defaults());
    }

    public OpenFlowAgent(String bridge, MessageHandler handler, ChannelSettings settings) {
        this.bridge = bridge;
        this.channels = new OfChannels(bridge, handler, settings);
    }

    /** The single thread on which the handler is called and switch timers should run. */
    public ScheduledExecutorService controlThread() {
        return channels.controlThread();
    }

    public String bridge() {
        return bridge;
    }

    /** Makes the agent ready to accept listeners and controllers. */
    public void start() {
        if (!started) {
            started = true;
            LOG.info("OpenFlow agent of bridge {} started", bridge);
        }
    }

    /**
     * Opens a passive listener: {@code ptcp:PORT[:IP]} (port 0 = ephemeral) or
     * {@code punix:PATH}. Returns the bound target, e.g. {@code ptcp:40123:127.0.0.1}.
     */
    public String listen(String target) throws InterruptedException {
        requireStarted();
        return channels.listen(target);
    }

    /**
     * Opens a listener for tools, as Open vSwitch's bridge management socket: connections
     * accepted there are service connections, which do not count as controllers for the fail
     * mode ({@link io.shunt.ofproto.channel.ControllerConnection#isPrimary()}).
     */
    public String listenService(String target) throws InterruptedException {
        requireStarted();
        return channels.listenService(target);
    }

    /** Closes a listener, by the target {@link #listen} returned or the one it was given. */
    public boolean stopListening(String target) {
        return channels.stopListening(target);
    }

    /** The bound listeners, e.g. {@code [ptcp:40123:127.0.0.1, punix:/tmp/br0.mgmt]}. */
    public List<String> listeners() {
        return channels.listeners();
    }

    /** The TCP port of a bound {@code ptcp:} listener, -1 when unknown. */
    public int port(String boundTarget) {
        return channels.port(boundTarget);
    }

    /**
     * Adds a controller target as {@code ovs-vsctl set-controller} takes it: {@code tcp:HOST:PORT}
     * connects (and keeps reconnecting until removed); {@code ptcp:} and {@code punix:} listen,
     * as {@link #listen} does.
     */
    public void addController(String target) throws InterruptedException {
        requireStarted();
        if (ChannelTarget.parse(target).passive()) {
            channels.listen(target);
        } else {
            channels.addController(target);
        }
    }

    /** Removes a target given to {@link #addController} (or a listener's bound target); false if unknown. */
    public boolean removeController(String target) {
        return ChannelTarget.parse(target).passive() ? channels.stopListening(target) : channels.removeController(target);
    }

    /** Active controller targets and where each is in its connect/back-off cycle. */
    public List<ActiveController.Status> controllers() {
        return channels.controllers();
    }

    /** Every open connection (passive and active) with its state, version, role and counters. */
    public List<ConnectionInfo> connections() {
        return channels.connections();
    }

    /** Closes every listener and connection and ends the control thread. */
    public void stop() {
        channels.stop();
        started = false;
        LOG.info("OpenFlow agent of bridge {} stopped", bridge);
    }

    @Override
    public void close() {
        stop();
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("OpenFlow agent of bridge " + bridge + " is not started");
        }
    }
}
