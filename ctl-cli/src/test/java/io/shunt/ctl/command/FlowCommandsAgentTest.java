package io.shunt.ctl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shunt.ctl.ExitCode;
import io.shunt.ctl.testing.Ctl;
import io.shunt.ctl.testing.Ctl.Result;
import io.shunt.ofproto.OpenFlowAgent;
import io.shunt.ofproto.OpenFlowSwitch;
import io.shunt.ofproto.SwitchClock;
import io.shunt.ofproto.SwitchConfig;
import io.shunt.ofproto.channel.ChannelSettings;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.datapath.SoftDatapath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flow, group, meter and statistics commands of shunt-ctl against shunt's
 * real OpenFlow agent (OpenFlowAgent + OpenFlowSwitch over the in-memory
 * SoftDatapath with ports 1 and 2), on its {@code punix:<run-dir>/br0.mgmt}
 * listener, with Open vSwitch's ovs-ofctl on the same listener as the
 * reference: both list the same flows, groups and meters, whichever tool
 * wrote them.
 */
class FlowCommandsAgentTest {

    @TempDir
    Path runDir;
    private OpenFlowAgent agent;
    private OpenFlowSwitch openFlowSwitch;
    private Ctl ctl;

    @BeforeEach
    void startAgent() throws Exception {
        SoftDatapath datapath = new SoftDatapath(SwitchClock.system());
        datapath.addPort(PortInfo.virtual(1, 0x0200_0000_0001L, "p1"));
        datapath.addPort(PortInfo.virtual(2, 0x0200_0000_0002L, "p2"));
        openFlowSwitch = new OpenFlowSwitch(SwitchConfig.defaults(0x5A), datapath);
        agent = new OpenFlowAgent("br0", openFlowSwitch, ChannelSettings.defaults());
        openFlowSwitch.start(agent.controlThread());
        agent.start();
        agent.listen("punix:" + runDir.resolve("br0.mgmt"));
        ctl = new Ctl(runDir);
    }

    @AfterEach
    void stopAgent() {
        openFlowSwitch.stop();
        agent.stop();
    }

    private Result ok(String... args) {
        Result r = ctl.run(args);
        assertEquals(ExitCode.OK, r.exit(), () -> String.join(" ", args) + "\n" + r);
        assertEquals("", r.err(), r::toString);
        return r;
    }

    /** Runs ovs-ofctl -O OpenFlow13 COMMAND unix:<run-dir>/br0.mgmt ARGS; returns stdout. */
    private String ofctl(String command, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13", command, "unix:" + runDir.resolve("br0.mgmt")));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(runDir, "ofctl", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ovs-ofctl " + command + " did not finish");
        }
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), () -> "ovs-ofctl " + String.join(" ", cmd) + ":\n" + text);
        return text;
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
            ok("add-flow", "br0", flow);
        }
        List<String> ours = entries(ok("dump-flows", "br0").out());
        assertEquals(FLOWS.size(), ours.size(), ours::toString);
        assertEquals(entries(ofctl("dump-flows")), ours);

        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ok("dump-flows", "br0", "--format", "json").out());
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
        Path file = runDir.resolve("flows.txt");
        Files.write(file, FLOWS);
        ofctl("add-flows", file.toString());
        assertEquals(entries(ofctl("dump-flows")), entries(ok("dump-flows", "br0").out()));
        assertEquals(entries(ofctl("dump-flows", "table=1")), entries(ok("dump-flows", "br0", "table=1").out()));
        assertEquals(entries(ofctl("dump-flows", "tcp")), entries(ok("dump-flows", "br0", "tcp").out()));
    }

    @Test
    void addFlowsFromAFileAndModAndDelFlowsChangeWhatDumpFlowsShows() throws Exception {
        Path file = runDir.resolve("flows.txt");
        Files.write(file, List.of("# two flows", "priority=10,in_port=1,actions=output:2", "", "priority=20,in_port=2,actions=output:1"));
        ok("add-flows", "br0", file.toString());
        assertEquals(List.of(" priority=10,in_port=1 actions=output:2", " priority=20,in_port=2 actions=output:1"),
                ok("dump-flows", "--no-stats", "br0").out().lines().sorted().toList());

        ok("mod-flows", "br0", "in_port=1,actions=drop");
        ok("mod-flows", "--strict", "br0", "priority=20,in_port=2,actions=output:2");
        assertEquals(List.of(" priority=10,in_port=1 actions=drop", " priority=20,in_port=2 actions=output:2"),
                ok("dump-flows", "--no-stats", "br0").out().lines().sorted().toList());

        ok("del-flows", "--strict", "br0", "priority=99,in_port=1");
        assertEquals(2, ok("dump-flows", "br0").out().lines().count(), "strict delete with another priority deletes nothing");
        ok("del-flows", "br0", "in_port=1");
        assertEquals(List.of(" priority=20,in_port=2 actions=output:2"), ok("dump-flows", "--no-stats", "br0").out().lines().toList());
        ok("del-flows", "br0");
        assertEquals("", ok("dump-flows", "br0").out());
    }

    @Test
    void aFlowTheSwitchRefusesIsExit4WithTheOpenFlowErrorAndNothingIsAdded() throws Exception {
        Result r = ctl.run("add-flow", "br0", "table=1,actions=goto_table:0");
        assertEquals(ExitCode.OPENFLOW_ERROR, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("bridge br0 refused flow 'table=1,actions=goto_table:0': OFPBIC_BAD_TABLE_ID"), r::toString);
        assertEquals("", ok("dump-flows", "br0").out());
    }

    @Test
    void aBadLineInAFileIsAUsageErrorAndNothingIsSent() throws Exception {
        Path file = runDir.resolve("flows.txt");
        Files.write(file, List.of("priority=10,in_port=1,actions=output:2", "priority=20,in_prot=2,actions=output:1"));
        Result r = ctl.run("add-flows", "br0", file.toString());
        assertEquals(ExitCode.USAGE, r.exit(), r::toString);
        assertEquals(List.of("shunt-ctl: " + file + ":2: bad flow: 'priority=20,in_prot=2,actions=output:1': unknown field 'in_prot' at column 13"),
                r.errLines());
        assertEquals("", ok("dump-flows", "br0").out(), "the good line before it was not sent either");
    }

    @Test
    void aRefusedLineInAFileIsNamedByItsLineNumber() throws Exception {
        Path file = runDir.resolve("flows.txt");
        Files.write(file, List.of("priority=10,in_port=1,actions=output:2", "table=1,actions=goto_table:0"));
        Result r = ctl.run("add-flows", "br0", file.toString());
        assertEquals(ExitCode.OPENFLOW_ERROR, r.exit(), r::toString);
        assertTrue(r.err().contains("refused 1 of 2 flows: " + file + ":2 OFPBIC_BAD_TABLE_ID"), r::toString);
    }

    @Test
    void groupsAndMetersAddedByShuntCtlAreDumpedAsOvsOfctlDumpsThem() throws Exception {
        ok("add-group", "br0", "group_id=1,type=select,bucket=weight:10,output:1,bucket=weight:20,output:2");
        ok("add-group", "br0", "group_id=2,type=all,bucket=output:1,bucket=output:2");
        assertEquals(ofctl("dump-groups").lines().filter(l -> l.startsWith(" group_id")).sorted().toList(),
                ok("dump-groups", "br0").out().lines().sorted().toList());
        Result again = ctl.run("add-group", "br0", "group_id=2,type=all,bucket=output:1");
        assertEquals(ExitCode.OPENFLOW_ERROR, again.exit(), again::toString);
        assertTrue(again.err().contains("OFPGMFC_GROUP_EXISTS"), again::toString);

        ok("add-meter", "br0", "meter=1,kbps,burst,band=type=drop,rate=1000,burst_size=100");
        String theirs = ofctl("dump-meters");
        assertTrue(theirs.contains(ok("dump-meters", "br0").out().strip()), theirs);
        ok("del-meters", "br0", "meter=1");
        assertEquals("", ok("dump-meters", "br0").out());
        ok("del-groups", "br0");
        assertEquals("", ok("dump-groups", "br0").out());
    }

    @Test
    void dumpPortsAndTablesAgreeWithOvsOfctl() throws Exception {
        ok("add-flow", "br0", "priority=10,in_port=1,actions=output:2");
        ok("add-flow", "br0", "priority=11,in_port=2,actions=output:1");
        String ours = ok("dump-ports", "br0").out();
        String theirs = ofctl("dump-ports");
        for (String port : new String[] {"  port  1: rx pkts=", "  port  2: rx pkts="}) {
            assertTrue(ours.contains(port) && theirs.contains(port), ours + "\n" + theirs);
        }
        String tables = ok("dump-tables", "br0").out();
        assertTrue(tables.startsWith("  table 0:\n    active=2, "), tables);
        assertTrue(ofctl("dump-tables").contains("  table 0:\n    active=2, "));
    }

    @Test
    void packetOutLeavesThroughTheGivenPort() throws Exception {
        String frame = "ffffffffffff020000000001080045000014000000004000f9e60a0000010a000002";
        ok("packet-out", "br0", "in_port=controller,packet=" + frame + ",actions=output:2");
        String ports = ok("dump-ports", "br0", "2").out();
        assertTrue(ports.contains("tx pkts=1, bytes=" + frame.length() / 2 + ","), ports);
    }
}
