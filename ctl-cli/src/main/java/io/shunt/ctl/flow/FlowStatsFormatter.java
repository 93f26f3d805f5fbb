package io.shunt.ctl.flow;

import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;

/**
 * One dump-flows line, field for field as {@code ovs-ofctl -O OpenFlow13
 * dump-flows} prints it (Open vSwitch's ofputil_flow_stats_format):
 * {@code  cookie=0x0, duration=1.234s, table=0, n_packets=0, n_bytes=0,
 * priority=10,in_port=1 actions=output:2}. With {@code showStats} false
 * (ovs-ofctl's --no-stats) the cookie (when zero), duration, table 0 and
 * counters are left out, so that two dumps can be compared directly.
 */
public final class FlowStatsFormatter {

    private FlowStatsFormatter() {
    }

    public static String format(OFFlowStatsEntry entry, boolean showStats) {
        StringBuilder s = new StringBuilder();
        long cookie = entry.getCookie().getValue();
        if (showStats || cookie != 0) {
            s.append("cookie=0x").append(Long.toHexString(cookie)).append(", ");
        }
        if (showStats) {
            s.append("duration=").append(Durations.format(entry.getDurationSec(), entry.getDurationNsec())).append("s, ");
        }
        int table = entry.getTableId().getValue();
        if (showStats || table != 0) {
            s.append("table=").append(table).append(", ");
        }
        if (showStats) {
            s.append("n_packets=").append(entry.getPacketCount().getValue()).append(", ");
            s.append("n_bytes=").append(entry.getByteCount().getValue()).append(", ");
        }
        if (entry.getIdleTimeout() != 0) {
            s.append("idle_timeout=").append(entry.getIdleTimeout()).append(", ");
        }
        if (entry.getHardTimeout() != 0) {
            s.append("hard_timeout=").append(entry.getHardTimeout()).append(", ");
        }
        flags(s, entry.getFlags());
        String match = MatchFormatter.format(entry.getMatch(), entry.getPriority());
        if (!match.isEmpty()) {
            s.append(match).append(' ');
        }
        s.append("actions=").append(ActionFormatter.formatInstructions(entry.getInstructions()));
        return s.toString();
    }

    private static void flags(StringBuilder s, Set<OFFlowModFlags> flags) {
        if (flags.contains(OFFlowModFlags.SEND_FLOW_REM)) {
            s.append("send_flow_rem ");
        }
        if (flags.contains(OFFlowModFlags.CHECK_OVERLAP)) {
            s.append("check_overlap ");
        }
        if (flags.contains(OFFlowModFlags.RESET_COUNTS)) {
            s.append("reset_counts ");
        }
        if (flags.contains(OFFlowModFlags.NO_PKT_COUNTS)) {
            s.append("no_packet_counts ");
        }
        if (flags.contains(OFFlowModFlags.NO_BYT_COUNTS)) {
            s.append("no_byte_counts ");
        }
    }
}
