package io.shunt.ofproto.channel;

import io.shunt.ofproto.OfErrorException;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * The seam between the OpenFlow channels and the switch's OpenFlow
 * semantics (flow tables, groups, meters, statistics, packet-out, port-mod,
 * bundles).
 *
 * <p>The channel layer handles by itself what belongs to one connection:
 * HELLO and version negotiation, ECHO, GET/SET_CONFIG, ROLE_REQUEST,
 * GET/SET_ASYNC and BARRIER. It passes every other message here, including
 * FEATURES_REQUEST (the switch knows its datapath id, tables and ports).
 *
 * <p>Threading: every call, for every connection, is made on the one
 * control-plane thread ({@link ControllerConnection#controlThread()}), in
 * the order the messages arrived on each connection. A handler finishes a
 * request (replies sent, tables changed) before it returns, so that a
 * BARRIER_REPLY sent after it returns covers it. Timers of the switch
 * (flow timeouts) run on that same thread, so the handler needs no locks
 * against itself.
 *
 * <p>Errors: throw {@link OfErrorException}; the channel sends the
 * OFPT_ERROR with the request's xid and bytes. Replies and asynchronous
 * messages go through {@link ControllerConnection#send}.
 */
public interface MessageHandler {

    /**
     * Handles one request from a controller. Writes from a connection in
     * the slave role are refused by the channel before they reach here
     * (OFPBRC_IS_SLAVE).
     */
    void handle(OFMessage request, ControllerConnection from) throws OfErrorException;

    /** A connection reached the ESTABLISHED state (HELLO exchanged, version agreed). */
    default void connected(ControllerConnection connection) {}

    /** A connection closed; bundles it had open are discarded. */
    default void disconnected(ControllerConnection connection) {}
}
