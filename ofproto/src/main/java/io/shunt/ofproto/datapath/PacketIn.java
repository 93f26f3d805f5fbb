package io.shunt.ofproto.datapath;

import org.projectfloodlight.openflow.protocol.OFPacketInReason;

/**
 * A packet the datapath sends to the controllers (OF1.3 section 7.4.1).
 *
 * @param frame    the whole frame as received (the switch truncates and buffers it)
 * @param inPort   ingress port
 * @param metadata pipeline metadata when the packet left the pipeline
 * @param reason   NO_MATCH (a table-miss entry's output:CONTROLLER, or a miss in OF1.0) or ACTION
 * @param tableId  table of the entry that sent it
 * @param cookie   cookie of that entry (all ones when none)
 * @param maxLen   the output action's max_len; {@link #USE_MISS_SEND_LEN} for each connection's
 *                 miss_send_len; 0xffff (OFPCML_NO_BUFFER) for the whole frame, unbuffered
 */
public record PacketIn(byte[] frame, int inPort, long metadata, OFPacketInReason reason, int tableId, long cookie,
                       int maxLen) {
    public static final int USE_MISS_SEND_LEN = -1;
    public static final int NO_BUFFER = 0xffff;
}
