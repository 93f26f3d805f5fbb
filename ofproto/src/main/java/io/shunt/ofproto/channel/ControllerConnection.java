package io.shunt.ofproto.channel;

import java.util.concurrent.ScheduledExecutorService;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;

/**
 * One OpenFlow connection as the switch's semantics see it: its negotiated
 * version, its role, its asynchronous-message configuration, and a way to
 * send to it. Implemented by the channel layer.
 */
public interface ControllerConnection {

    /** The factory of the negotiated version: build every reply with it. */
    OFFactory factory();

    /** Sends a message (reply or asynchronous) to this peer; never blocks. */
    void send(OFMessage message);

    /** The peer's current role (EQUAL until it asks for another). */
    OFControllerRole role();

    /**
     * Whether this connection wants an asynchronous message of this type and
     * reason under its role and SET_ASYNC configuration (OF1.3 section 6.1.1):
     * {@code reason} is the raw reason code of PACKET_IN, PORT_STATUS or
     * FLOW_REMOVED.
     */
    boolean wantsAsync(OFType type, int reason);

    /** The switch's miss_send_len as set by this connection (SET_CONFIG). */
    int missSendLength();

    /** A stable, human-readable identity for logs: "tcp:127.0.0.1:6653". */
    String peer();

    /**
     * Whether this is a primary controller connection (an active target, or a listener
     * configured as a controller) rather than a service connection accepted on the bridge's
     * management socket. As in Open vSwitch, only primary controllers decide the fail mode:
     * {@code ovs-ofctl} on the management socket does not stop a standalone bridge from
     * forwarding as a learning switch.
     */
    default boolean isPrimary() {
        return true;
    }

    /** The single control-plane thread on which handlers and switch timers run. */
    ScheduledExecutorService controlThread();
}
