package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.ExitCode;
import io.shunt.ctl.flow.Durations;
import io.shunt.ctl.flow.PacketOutSyntax;
import io.shunt.ctl.openflow.OpenFlowClient;
import java.io.PrintWriter;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFPortStatsEntry;
import org.projectfloodlight.openflow.protocol.OFPortStatsReply;
import org.projectfloodlight.openflow.protocol.OFTableStatsEntry;
import org.projectfloodlight.openflow.protocol.OFTableStatsReply;
import org.projectfloodlight.openflow.types.OFPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** dump-ports, dump-tables, packet-out: the switch's ports, tables and packet injection, over OpenFlow 1.3. */
public final class SwitchCommands {

    private SwitchCommands() {
    }

    @Command(name = "dump-ports", mixinStandardHelpOptions = true,
            description = "Print the statistics of every port of a bridge (or of PORT), as ovs-ofctl dump-ports does.",
            footer = {"", "Examples:", "  shunt-ctl dump-ports br0", "  shunt-ctl dump-ports br0 2", "  shunt-ctl dump-ports br0 --format json"})
    public static final class DumpPorts extends OpenFlowCommand {
        @Parameters(index = "1", arity = "0..1", paramLabel = "PORT", description = "a port number or LOCAL")
        String port;

        @Override
        void run() throws CtlFailure {
            OFPort which = OFPort.ANY;
            if (port != null) {
                which = port.equalsIgnoreCase("LOCAL") ? OFPort.LOCAL : parsePort(port);
            }
            print(read(OpenFlowClient.OF13.buildPortStatsRequest().setPortNo(which).build(), OFPortStatsReply.class,
                    OFPortStatsReply::getEntries, "the port statistics request"), DumpPorts::json, DumpPorts::text);
        }

        private static JsonNode json(OFPortStatsEntry e) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("port", portName(e.getPortNo()));
            o.put("rx_packets", e.getRxPackets().getValue());
            o.put("rx_bytes", e.getRxBytes().getValue());
            o.put("rx_dropped", e.getRxDropped().getValue());
            o.put("rx_errors", e.getRxErrors().getValue());
            o.put("tx_packets", e.getTxPackets().getValue());
            o.put("tx_bytes", e.getTxBytes().getValue());
            o.put("tx_dropped", e.getTxDropped().getValue());
            o.put("tx_errors", e.getTxErrors().getValue());
            o.put("duration_sec", e.getDurationSec());
            o.put("duration_nsec", e.getDurationNsec());
            return o;
        }

        /** As ovs-ofctl dump-ports: a count line, then three lines per port. */
        private static void text(List<OFPortStatsEntry> entries, PrintWriter out) {
            out.println(entries.size() + " ports");
            for (OFPortStatsEntry e : entries) {
                out.print("  port ");
                if (!isReserved(e.getPortNo()) && e.getPortNo().getPortNumber() < 10) {
                    out.print(' ');
                }
                out.println(portName(e.getPortNo()) + ": rx pkts=" + e.getRxPackets().getValue() + ", bytes="
                        + e.getRxBytes().getValue() + ", drop=" + e.getRxDropped().getValue() + ", errs="
                        + e.getRxErrors().getValue() + ", frame=" + e.getRxFrameErr().getValue() + ", over="
                        + e.getRxOverErr().getValue() + ", crc=" + e.getRxCrcErr().getValue());
                out.println("           tx pkts=" + e.getTxPackets().getValue() + ", bytes=" + e.getTxBytes().getValue()
                        + ", drop=" + e.getTxDropped().getValue() + ", errs=" + e.getTxErrors().getValue() + ", coll="
                        + e.getCollisions().getValue());
                out.println("           duration=" + Durations.format(e.getDurationSec(), e.getDurationNsec()) + "s");
            }
        }

        private static OFPort parsePort(String text) throws CtlFailure {
            try {
                long n = Long.parseLong(text);
                if (n < 0 || n > 0xffffff00L) {
                    throw new NumberFormatException();
                }
                return OFPort.ofInt((int) n);
            } catch (NumberFormatException e) {
                throw new CtlFailure(ExitCode.USAGE, "dump-ports: '" + text + "' is not a port number or LOCAL");
            }
        }
    }

    static boolean isReserved(OFPort port) {
        return Integer.compareUnsigned(port.getPortNumber(), OFPort.MAX.getPortNumber()) > 0;
    }

    static String portName(OFPort port) {
        if (port.equals(OFPort.LOCAL)) {
            return "LOCAL";
        }
        if (port.equals(OFPort.CONTROLLER)) {
            return "CONTROLLER";
        }
        return Integer.toUnsignedString(port.getPortNumber());
    }

    @Command(name = "dump-tables", mixinStandardHelpOptions = true,
            description = "Print the statistics of every flow table (active entries, lookups, matches), as ovs-ofctl does.",
            footer = {"", "Examples:", "  shunt-ctl dump-tables br0", "  shunt-ctl dump-tables br0 --format json"})
    public static final class DumpTables extends OpenFlowCommand {
        @Override
        void run() throws CtlFailure {
            print(read(OpenFlowClient.OF13.buildTableStatsRequest().build(), OFTableStatsReply.class,
                            OFTableStatsReply::getEntries, "the table statistics request"),
                    (OFTableStatsEntry t) -> JsonNodeFactory.instance.objectNode().put("table", t.getTableId().getValue())
                            .put("active", t.getActiveCount()).put("lookup", t.getLookupCount().getValue())
                            .put("matched", t.getMatchedCount().getValue()),
                    DumpTables::text);
        }

        /** As ovs-ofctl: a run of tables whose statistics equal the one printed before is written "ditto". */
        private static void text(List<OFTableStatsEntry> tables, PrintWriter out) {
            OFTableStatsEntry shown = null;
            int dittoFrom = -1;
            int dittoTo = -1;
            for (OFTableStatsEntry t : tables) {
                if (shown != null && t.getActiveCount() == shown.getActiveCount()
                        && t.getLookupCount().equals(shown.getLookupCount()) && t.getMatchedCount().equals(shown.getMatchedCount())) {
                    if (dittoFrom < 0) {
                        dittoFrom = t.getTableId().getValue();
                    }
                    dittoTo = t.getTableId().getValue();
                    continue;
                }
                printDitto(out, dittoFrom, dittoTo);
                dittoFrom = -1;
                out.println("  table " + t.getTableId().getValue() + ":");
                out.println("    active=" + t.getActiveCount() + ", lookup=" + t.getLookupCount().getValue() + ", matched="
                        + t.getMatchedCount().getValue());
                out.println();
                shown = t;
            }
            printDitto(out, dittoFrom, dittoTo);
        }

        private static void printDitto(PrintWriter out, int from, int to) {
            if (from < 0) {
                return;
            }
            out.println(from == to ? "  table " + from + ": ditto" : "  tables " + from + "..." + to + ": ditto");
        }
    }

    @Command(name = "packet-out", mixinStandardHelpOptions = true,
            description = {"Send a packet through a bridge with the given actions (OFPT_PACKET_OUT).",
                    "PACKET_OUT is 'in_port=PORT,packet=HEX,actions=...' (in_port defaults to CONTROLLER)."},
            footer = {"", "Examples:",
                    "  shunt-ctl packet-out br0 'in_port=1,packet=ffffffffffff0200000000010800450000140000000040ff7ae60a0000010a000002,actions=output:2'",
                    "  shunt-ctl packet-out br0 'packet=<hex>,actions=flood'"})
    public static final class PacketOut extends OpenFlowCommand {
        @Parameters(index = "1", paramLabel = "PACKET_OUT")
        String packetOut;

        @Override
        void run() throws CtlFailure {
            change(parse("packet-out", packetOut, text -> new PacketOutSyntax(OpenFlowClient.OF13).parse(text)), "packet-out");
        }
    }
}
