package io.shunt.ofproto.channel;

import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * What management tools show about one connection.
 *
 * @param peer          the remote end ("tcp:10.0.0.1:6653", "unix:/run/shunt/br0.mgmt#3")
 * @param origin        the listener or controller target it came from ("ptcp:6653", "tcp:10.0.0.1:6653")
 * @param version       the negotiated version, null before HELLO completes
 * @param asyncDropped  asynchronous messages dropped because the peer did not read
 */
public record ConnectionInfo(String peer, String origin, ConnectionState state, OFVersion version,
                             OFControllerRole role, long received, long sent, long errorsSent, long asyncDropped) {}
