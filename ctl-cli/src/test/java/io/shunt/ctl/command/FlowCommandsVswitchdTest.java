package io.shunt.ctl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shunt.ctl.ExitCode;
import io.shunt.ctl.testing.Ctl;
import io.shunt.ctl.testing.Ctl.Result;
import io.shunt.ctl.testing.OvsOfctl;
import io.shunt.ctl.testing.SharedVswitchd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * The flow, group, meter and statistics commands of shunt-ctl against a real
 * shunt-vswitchd process (bridge br0 with dpdkr ports p1 and p2, OpenFlow
 * ports 1 and 2), on its {@code unix:<run-dir>/br0.mgmt} listener, with Open
 * vSwitch's ovs-ofctl on the same listener as the reference: both list the
 * same flows, groups and meters, whichever tool wrote them. The tests share
 * one vswitchd; each starts from an empty flow table, group table and meter
 * table.
 */
@Timeout(120)
class FlowCommandsVswitchdTest {

    @RegisterExtension
    static final SharedVswitchd vswitchd = new SharedVswitchd();
    private static final Ctl ctl = vswitchd.ctl();
    private static final OvsOfctl ofctl = vswitchd.ofctl("br0");
    private static final Path dir = vswitchd.scratch();

    @BeforeAll
    static void addPorts() {
        ctl.ok("add-port", "br0", "p1");
        ctl.ok("add-port", "br0", "p2");
    }

    @BeforeEach
    void emptyTables() throws Exception {
        ofctl.run("del-flows");
        ofctl.run("del-groups");
        ofctl.run("del-meters");
    }


    /** Flow lines without the header and the durations (which differ between two dumps by design). */
    private static List<String> entries(String dump) {
        return dump.lines().filter(l -> l.startsWith(" cookie=")).map(l -> l.replaceAll("duration=[0-9.]+s, ", ""))
                .sorted().toList();
    }

    private static final List<String> FLOWS = List.of(
            "table=0,priority=10,in_port=1,actions=output:2",
            "priority=20,tcp,nw_src=10.0.0.0/8,tp_dst=80,actions=mod_dl_dst:02:00:00:00:00:01,output:2",
            "priority=31,icmp,icmp_type=8,icmp_code=0,actions=controller",
            "priority=34,ip,nw_dst=10.0.0.0/255.255.0.0,ip_dscp=10,actions=output:1",
            "priority=36,dl_vlan=5,dl_vlan_pcp=3,actions=strip_vlan,output:1",
            "priority=38,dl_vlan=0xffff,actions=mod_vlan_vid:7,output:1",
            "priority=41,udp,udp_src=5,udp_dst=6,idle_timeout=60,hard_timeout=120,send_flow_rem,actions=output:1",
            "priority=43,arp,arp_tpa=10.1.0.0/16,arp_sha=00:00:00:00:00:03,actions=output:1",
            "priority=44,dl_type=0x88cc,dl_dst=01:80:c2:00:00:0e,actions=controller:128",
            "cookie=0x10,table=1,ipv6,ipv6_src=2001:db8::/32,actions=write_actions(output:2),goto_table:2");

    @Test
    void flowsAddedByShuntCtlAreDumpedIdenticallyByShuntCtlAndOvsOfctl() throws Exception {
        for (String flow : FLOWS) {
            ctl.ok("add-flow", "br0", flow);
        }
        List<String> ours = entries(ctl.ok("dump-flows", "br0").out());
        assertEquals(FLOWS.size(), ours.size(), ours::toString);
        assertEquals(entries(ofctl.run("dump-flows")), ours);

        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ctl.ok("dump-flows", "br0", "--format", "json").out());
        assertEquals(FLOWS.size(), json.size());
        boolean found = false;
        for (var flow : json) {
            if (flow.path("priority").asInt() == 41) {
                found = true;
                assertEquals("udp,tp_src=5,tp_dst=6", flow.path("match").asText());
                assertEquals("output:1", flow.path("actions").asText());
                assertEquals(60, flow.path("idle_timeout").asInt());
                assertEquals("send_flow_rem", flow.path("flags").get(0).asText());
            }
        }
        assertTrue(found, json::toString);
    }

    @Test
    void flowsAddedByOvsOfctlAreDumpedIdenticallyByShuntCtl() throws Exception {
        Path file = dir.resolve("flows.txt");
        Files.write(file, FLOWS);
        ofctl.run("add-flows", file.toString());
        assertEquals(entries(ofctl.run("dump-flows")), entries(ctl.ok("dump-flows", "br0").out()));
        assertEquals(entries(ofctl.run("dump-flows", "table=1")), entries(ctl.ok("dump-flows", "br0", "table=1").out()));
        assertEquals(entries(ofctl.run("dump-flows", "tcp")), entries(ctl.ok("dump-flows", "br0", "tcp").out()));
    }

    @Test
    void addFlowsFromAFileAndModAndDelFlowsChangeWhatDumpFlowsShows() throws Exception {
        Path file = dir.resolve("flows.txt");
        Files.write(file, List.of("# two flows", "priority=10,in_port=1,actions=output:2", "", "priority=20,in_port=2,actions=output:1"));
        ctl.ok("add-flows", "br0", file.toString());
        assertEquals(List.of(" priority=10,in_port=1 actions=output:2", " priority=20,in_port=2 actions=output:1"),
                ctl.ok("dump-flows", "--no-stats", "br0").out().lines().sorted().toList());

        ctl.ok("mod-flows", "br0", "in_port=1,actions=drop");
        ctl.ok("mod-flows", "--strict", "br0", "priority=20,in_port=2,actions=output:2");
        assertEquals(List.of(" priority=10,in_port=1 actions=drop", " priority=20,in_port=2 actions=output:2"),
                ctl.ok("dump-flows", "--no-stats", "br0").out().lines().sorted().toList());

        ctl.ok("del-flows", "--strict", "br0", "priority=99,in_port=1");
        assertEquals(2, ctl.ok("dump-flows", "br0").out().lines().count(), "strict delete with another priority deletes nothing");
        ctl.ok("del-flows", "br0", "in_port=1");
        assertEquals(List.of(" priority=20,in_port=2 actions=output:2"), ctl.ok("dump-flows", "--no-stats", "br0").out().lines().toList());
        ctl.ok("del-flows", "br0");
        assertEquals("", ctl.ok("dump-flows", "br0").out());
    }

    @Test
    void aFlowTheSwitchRefusesIsExit4WithTheOpenFlowErrorAndNothingIsAdded() throws Exception {
        ctl.fails(ExitCode.OPENFLOW_ERROR, "bridge br0 refused flow 'table=1,actions=goto_table:0': OFPBIC_BAD_TABLE_ID",
                "add-flow", "br0", "table=1,actions=goto_table:0");
        assertEquals("", ctl.ok("dump-flows", "br0").out());
    }

    @Test
    void aBadLineInAFileIsAUsageErrorAndNothingIsSent() throws Exception {
        Path file = dir.resolve("flows.txt");
        Files.write(file, List.of("priority=10,in_port=1,actions=output:2", "priority=20,in_prot=2,actions=output:1"));
        Result r = ctl.run("add-flows", "br0", file.toString());
        assertEquals(ExitCode.USAGE, r.exit(), r::toString);
        assertEquals(List.of("shunt-ctl: " + file + ":2: bad flow: 'priority=20,in_prot=2,actions=output:1': unknown field 'in_prot' at column 13"),
                r.errLines());
        assertEquals("", ctl.ok("dump-flows", "br0").out(), "the good line before it was not sent either");
    }

    @Test
    void aRefusedLineInAFileIsNamedByItsLineNumber() throws Exception {
        Path file = dir.resolve("flows.txt");
        Files.write(file, List.of("priority=10,in_port=1,actions=output:2", "table=1,actions=goto_table:0"));
        ctl.fails(ExitCode.OPENFLOW_ERROR, "refused 1 of 2 flows: " + file + ":2 OFPBIC_BAD_TABLE_ID", "add-flows", "br0", file.toString());
        assertEquals(List.of(" priority=10,in_port=1 actions=output:2"), ctl.ok("dump-flows", "--no-stats", "br0").out().lines().toList(),
                "the accepted line stays applied, as with ovs-ofctl add-flows");
    }

    @Test
    void groupsAndMetersAddedByShuntCtlAreDumpedAsOvsOfctlDumpsThem() throws Exception {
        ctl.ok("add-group", "br0", "group_id=1,type=select,bucket=weight:10,output:1,bucket=weight:20,output:2");
        ctl.ok("add-group", "br0", "group_id=2,type=all,bucket=output:1,bucket=output:2");
        assertEquals(ofctl.run("dump-groups").lines().filter(l -> l.startsWith(" group_id")).sorted().toList(),
                ctl.ok("dump-groups", "br0").out().lines().sorted().toList());
        ctl.fails(ExitCode.OPENFLOW_ERROR, "OFPGMFC_GROUP_EXISTS", "add-group", "br0", "group_id=2,type=all,bucket=output:1");

        ctl.ok("add-meter", "br0", "meter=1,kbps,burst,band=type=drop,rate=1000,burst_size=100");
        String theirs = ofctl.run("dump-meters");
        assertTrue(theirs.contains(ctl.ok("dump-meters", "br0").out().strip()), theirs);
        ctl.ok("del-meters", "br0", "meter=1");
        assertEquals("", ctl.ok("dump-meters", "br0").out());
        ctl.ok("del-groups", "br0");
        assertEquals("", ctl.ok("dump-groups", "br0").out());
    }

    @Test
    void dumpPortsAndTablesAgreeWithOvsOfctl() throws Exception {
        ctl.ok("add-flow", "br0", "priority=10,in_port=1,actions=output:2");
        ctl.ok("add-flow", "br0", "priority=11,in_port=2,actions=output:1");
        String ours = ctl.ok("dump-ports", "br0").out();
        String theirs = ofctl.run("dump-ports");
        for (String port : new String[] {"  port  1: rx pkts=", "  port  2: rx pkts="}) {
            assertTrue(ours.contains(port) && theirs.contains(port), ours + "\n" + theirs);
        }
        String tables = ctl.ok("dump-tables", "br0").out();
        assertTrue(tables.startsWith("  table 0:\n    active=2, "), tables);
        assertTrue(ofctl.run("dump-tables").contains("  table 0:\n    active=2, "));
    }

    @Test
    void packetOutLeavesThroughTheGivenPort() throws Exception {
        String frame = "ffffffffffff020000000001080045000014000000004000f9e60a0000010a000002";
        ctl.ok("packet-out", "br0", "in_port=controller,packet=" + frame + ",actions=output:2");
        String ports = ctl.ok("dump-ports", "br0", "2").out();
        assertTrue(ports.contains("tx pkts=1, bytes=" + frame.length() / 2 + ","), ports);
        assertTrue(ofctl.run("dump-ports", "2").contains("tx pkts=1, bytes=" + frame.length() / 2 + ","));
        boolean found = false;
        for (var row : new com.fasterxml.jackson.databind.ObjectMapper().readTree(ctl.ok("counters", "--format", "json").out())) {
            if (row.path("bridge").asText().equals("br0") && row.path("port").asText().equals("p2")) {
                found = true;
                assertEquals(1, row.path("tx_packets").asLong(), row::toString);
                assertEquals(frame.length() / 2, row.path("tx_bytes").asLong(), row::toString);
            }
        }
        assertTrue(found, "shunt-ctl counters lists port p2 of br0");
    }


    /** The port numbers and names in ovs-ofctl show's port list ({@code " 1(p1): addr:..."}). */
    private static List<String> ofctlPorts(OvsOfctl tool) throws Exception {
        Matcher m = Pattern.compile("(?m)^ (\\d+)\\(([^)]+)\\):").matcher(tool.run("show"));
        List<String> ports = new java.util.ArrayList<>();
        while (m.find()) {
            ports.add(m.group(1) + "(" + m.group(2) + ")");
        }
        return ports;
    }

    @Test
    void aBridgeAndPortsMadeByShuntCtlAreWhatOvsOfctlShowsOnTheBridgesSocket() throws Exception {
        ctl.ok("add-br", "brS");
        OvsOfctl brS = vswitchd.ofctl("brS");
        assertEquals(List.of(), ofctlPorts(brS));
        ctl.ok("add-port", "brS", "s1");
        ctl.ok("add-port", "brS", "s7", "--", "ofport_request=7");
        assertEquals(List.of("1(s1)", "7(s7)"), ofctlPorts(brS));

        ctl.fails(ExitCode.REFUSED, "port s1 already exists on bridge brS", "add-port", "brS", "s1");
        ctl.fails(ExitCode.REFUSED, "port p1 already exists on bridge br0", "add-port", "brS", "p1");
        assertEquals(List.of("1(s1)", "7(s7)"), ofctlPorts(brS), "a refused add-port adds no OpenFlow port");

        ctl.ok("add-flow", "brS", "in_port=1,actions=output:7");
        assertEquals(List.of(" in_port=1 actions=output:7"),
                brS.run("dump-flows", "--no-stats").lines().filter(l -> l.startsWith(" ")).toList());
        assertEquals(" in_port=1 actions=output:7\n", ctl.ok("dump-flows", "--no-stats", "brS").out());
        ctl.ok("del-port", "brS", "s7");
        assertEquals(List.of("1(s1)"), ofctlPorts(brS));
        ctl.ok("del-br", "brS");
        assertTrue(Files.notExists(vswitchd.runDir().resolve("brS.mgmt")), "del-br closes the bridge's OpenFlow socket");
        ctl.fails(ExitCode.REFUSED, "no bridge named brS", "dump-flows", "brS");
    }

    @Test
    void flowCommandsOnAnUnknownBridgeAreRefusedAndChangeNothing() throws Exception {
        ctl.ok("add-flow", "br0", "priority=5,actions=drop");
        String before = ofctl.run("dump-flows", "--no-stats");
        ctl.fails(ExitCode.REFUSED, "no bridge named brNone (see 'shunt-ctl list-br')", "add-flow", "brNone", "actions=drop");
        ctl.fails(ExitCode.REFUSED, "no bridge named brNone", "dump-flows", "brNone");
        ctl.fails(ExitCode.REFUSED, "no bridge named brNone", "del-flows", "brNone");
        ctl.fails(ExitCode.USAGE, "'br0/x' is not a bridge name (or unix:PATH)", "dump-flows", "br0/x");
        assertEquals(before, ofctl.run("dump-flows", "--no-stats"));
    }

    @Test
    void wrongArgumentsAreUsageErrorsAndSendNothing() throws Exception {
        ctl.ok("add-flow", "br0", "priority=5,actions=drop");
        ctl.ok("add-group", "br0", "group_id=1,type=all,bucket=output:1");
        String flows = ofctl.run("dump-flows", "--no-stats");
        String groups = ofctl.run("dump-groups");
        ctl.fails(ExitCode.USAGE, "unknown field 'in_prot' at column 1", "add-flow", "br0", "in_prot=1,actions=drop");
        ctl.fails(ExitCode.USAGE, "tp_dst needs tcp, udp or sctp", "del-flows", "br0", "tp_dst=80");
        ctl.fails(ExitCode.USAGE, "Missing required parameter", "add-flow", "br0");
        ctl.fails(ExitCode.USAGE, "'abc' is not a port number or LOCAL", "dump-ports", "br0", "abc");
        ctl.fails(ExitCode.USAGE, "bad group", "add-group", "br0", "group_id=2,type=sometimes,bucket=output:1");
        ctl.fails(ExitCode.USAGE, "bad meter", "add-meter", "br0", "meter=1,band=type=drop");
        ctl.fails(ExitCode.USAGE, "bad packet-out", "packet-out", "br0", "packet=zz,actions=output:1");
        assertEquals(flows, ofctl.run("dump-flows", "--no-stats"));
        assertEquals(groups, ofctl.run("dump-groups"));
        assertEquals("", ctl.ok("dump-meters", "br0").out());
    }

    @Test
    void aFlowToAGroupTheBridgeLacksIsRefusedByTheSwitchAndNotAdded() throws Exception {
        ctl.fails(ExitCode.OPENFLOW_ERROR, "bridge br0 refused flow 'in_port=1,actions=group:99': OFPBAC_BAD_OUT_GROUP",
                "add-flow", "br0", "in_port=1,actions=group:99");
        assertEquals(List.of(), entries(ofctl.run("dump-flows")));
    }

    @Test
    void aPassiveControllerTargetSetByShuntCtlIsWhereOvsOfctlReachesTheBridge() throws Exception {
        ctl.ok("add-br", "brP");
        ctl.ok("add-port", "brP", "pp1");
        Path socket = dir.resolve("brP-controller.sock");
        ctl.ok("set-controller", "brP", "punix:" + socket);
        assertEquals(List.of("punix:" + socket), ctl.ok("get-controller", "brP").out().lines().toList());
        OvsOfctl viaController = new OvsOfctl(dir, "unix:" + socket);
        assertEquals(List.of("1(pp1)"), ofctlPorts(viaController));
        ctl.ok("add-flow", "brP", "in_port=1,actions=drop");
        assertEquals(List.of(" in_port=1 actions=drop"),
                viaController.run("dump-flows", "--no-stats").lines().filter(l -> l.startsWith(" ")).toList());

        ctl.ok("del-controller", "brP");
        assertEquals("", ctl.ok("get-controller", "brP").out());
        assertTrue(Files.notExists(socket), "del-controller closes the listener");
        ctl.ok("del-br", "brP");
    }
}
