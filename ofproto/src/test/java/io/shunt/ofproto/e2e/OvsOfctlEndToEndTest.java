package io.shunt.ofproto.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shunt.ofproto.testing.ExternalProcess;
import io.shunt.ofproto.testing.ShuntUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open vSwitch's ovs-ofctl, unchanged, against shunt's passive listeners
 * (tcp and unix) with the real OpenFlowSwitch behind them: what an operator
 * would type, and what an operator would check in the output.
 */
class OvsOfctlEndToEndTest {

    private static final Pattern FLOW_LINE = Pattern.compile(
            "cookie=\\S+, duration=\\S+, table=(\\d+), n_packets=\\d+, n_bytes=\\S+, (.*)");

    @TempDir
    Path tmp;
    private ShuntUnderTest shunt;

    @BeforeEach
    void start() throws Exception {
        shunt = ShuntUnderTest.start(tmp);
    }

    @AfterEach
    void stop() {
        shunt.close();
    }

    private ExternalProcess.Result ofctl(String version, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", version));
        cmd.addAll(List.of(args));
        return ExternalProcess.run(tmp, 120, cmd.toArray(String[]::new));
    }

    /** dump-flows, reduced to "table=N, match actions" lines (volatile counters and durations removed). */
    private Set<String> flows(String version, String target, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("dump-flows", target));
        String out = ofctl(version, args.toArray(String[]::new)).assertOk().output();
        Set<String> flows = new TreeSet<>();
        for (String line : out.split("\n")) {
            Matcher m = FLOW_LINE.matcher(line.trim());
            if (m.matches()) {
                flows.add("table=" + m.group(1) + ", " + m.group(2));
            }
        }
        return flows;
    }

    @Test
    void showDescribesTheSwitchAndItsPorts() throws Exception {
        String out = ofctl("OpenFlow13", "show", shunt.tcp()).assertOk().output();
        assertTrue(out.contains("OFPT_FEATURES_REPLY (OF1.3)"), out);
        assertTrue(out.contains("dpid:" + String.format("%016x", ShuntUnderTest.DPID)), out);
        assertTrue(out.contains(" 1(p1):") && out.contains(" 2(p2):"), "ports of the datapath are listed:\n" + out);
    }

    @Test
    void hundredThousandFlowsFromAFileAreAllDumpedBackOverTcpAndUnix() throws Exception {
        Path file = tmp.resolve("flows.txt");
        Set<String> expected = new TreeSet<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            String dst = "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255);
            lines.add("table=0,priority=100,ip,nw_dst=" + dst + ",actions=output:1");
            expected.add("table=0, priority=100,ip,nw_dst=" + dst + " actions=output:1");
        }
        Files.write(file, lines);
        ofctl("OpenFlow13", "add-flows", shunt.tcp(), file.toString()).assertOk();
        assertEquals(expected, flows("OpenFlow13", shunt.tcp()));
        assertEquals(expected, flows("OpenFlow13", shunt.unix()), "the unix socket sees the same switch");
        String agg = ofctl("OpenFlow13", "dump-aggregate", shunt.tcp()).assertOk().output();
        assertTrue(agg.contains("flow_count=100000"), agg);
    }

    @Test
    void modFlowsAndDelFlowsStrictAndNonStrict() throws Exception {
        String t = shunt.tcp();
        ofctl("OpenFlow13", "add-flow", t, "priority=10,in_port=1,actions=output:2").assertOk();
        ofctl("OpenFlow13", "add-flow", t, "priority=20,in_port=1,actions=output:2").assertOk();
        ofctl("OpenFlow13", "add-flow", t, "priority=10,in_port=2,actions=output:1").assertOk();
        ofctl("OpenFlow13", "mod-flows", t, "in_port=1,actions=drop").assertOk();
        assertEquals(Set.of("table=0, priority=10,in_port=1 actions=drop", "table=0, priority=20,in_port=1 actions=drop",
                "table=0, priority=10,in_port=2 actions=output:1"), flows("OpenFlow13", t));
        ofctl("OpenFlow13", "--strict", "mod-flows", t, "priority=20,in_port=1,actions=output:2").assertOk();
        ofctl("OpenFlow13", "--strict", "del-flows", t, "priority=10,in_port=1").assertOk();
        assertEquals(Set.of("table=0, priority=20,in_port=1 actions=output:2",
                "table=0, priority=10,in_port=2 actions=output:1"), flows("OpenFlow13", t));
        ofctl("OpenFlow13", "del-flows", t, "in_port=2").assertOk();
        assertEquals(Set.of("table=0, priority=20,in_port=1 actions=output:2"), flows("OpenFlow13", t));
        ofctl("OpenFlow13", "del-flows", t).assertOk();
        assertEquals(Set.of(), flows("OpenFlow13", t));
    }

    @Test
    void tablesPortsAndPortDescriptionsAreDumped() throws Exception {
        String tables = ofctl("OpenFlow13", "dump-tables", shunt.tcp()).assertOk().output();
        assertTrue(tables.contains("OFPST_TABLE reply (OF1.3)") && tables.contains("table 0:"), tables);
        String ports = ofctl("OpenFlow13", "dump-ports", shunt.tcp()).assertOk().output();
        assertTrue(ports.contains("port  1:") && ports.contains("port  2:"), ports);
        String desc = ofctl("OpenFlow13", "dump-ports-desc", shunt.unix()).assertOk().output();
        assertTrue(desc.contains("1(p1):") && desc.contains("2(p2):"), desc);
    }

    @Test
    void groupsAndMetersAreAddedAndDumped() throws Exception {
        String t = shunt.tcp();
        ofctl("OpenFlow13", "add-group", t, "group_id=1,type=all,bucket=output:1,bucket=output:2").assertOk();
        String groups = ofctl("OpenFlow13", "dump-groups", t).assertOk().output();
        assertTrue(groups.contains("group_id=1,type=all,bucket=actions=output:1,bucket=actions=output:2"), groups);
        ofctl("OpenFlow13", "add-meter", t, "meter=1,kbps,band=type=drop,rate=1000").assertOk();
        String meters = ofctl("OpenFlow13", "dump-meters", t).assertOk().output();
        assertTrue(meters.contains("meter=1 kbps bands=") && meters.contains("type=drop rate=1000"), meters);
        ofctl("OpenFlow13", "add-flow", t, "in_port=1,actions=meter:1,group:1").assertOk();
        assertEquals(Set.of("table=0, in_port=1 actions=meter:1,group:1"), flows("OpenFlow13", t));
    }

    @Test
    void badRequestsAreReportedByOvsOfctlWithTheSpecErrors() throws Exception {
        String t = shunt.tcp();
        ExternalProcess.Result gotoBack = ofctl("OpenFlow13", "add-flow", t, "table=1,actions=goto_table:0");
        assertNotEquals(0, gotoBack.exitCode());
        assertTrue(gotoBack.output().contains("OFPBIC_BAD_TABLE_ID"), gotoBack.output());
        ExternalProcess.Result unknownGroup = ofctl("OpenFlow13", "add-flow", t, "actions=group:99");
        assertNotEquals(0, unknownGroup.exitCode());
        assertTrue(unknownGroup.output().contains("OFPBAC_BAD_OUT_GROUP"), unknownGroup.output());
        assertEquals(Set.of(), flows("OpenFlow13", t), "refused requests leave nothing behind");
    }

    @Test
    void packetOutToTheTableReachesAMonitoringController() throws Exception {
        String t = shunt.tcp();
        ofctl("OpenFlow13", "add-flow", t, "priority=0,actions=CONTROLLER:65535").assertOk();
        // monitor runs a unixctl server: give it a run directory of its own.
        try (ExternalProcess monitor = ExternalProcess.start(tmp, List.of("ovs-ofctl", "-O", "OpenFlow13", "monitor", t, "65535"),
                java.util.Map.of("OVS_RUNDIR", tmp.toString()))) {
            waitUntil(() -> shunt.agent().connections().size() >= 1, "monitor connected");
            Thread.sleep(300);
            String frame = "ffffffffffff" + "000000000001" + "0800" + "45000014000000004000" + "0000" + "0a0000010a000002";
            ofctl("OpenFlow13", "packet-out", t, "in_port=1 packet=" + frame + " actions=table").assertOk();
            waitUntil(() -> monitor.output().contains("OFPT_PACKET_IN"), "packet-in printed by ovs-ofctl monitor");
            String out = monitor.output();
            assertTrue(out.contains("in_port=1 (via no_match)"), out);
            assertTrue(out.contains("dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,nw_src=10.0.0.1,nw_dst=10.0.0.2"), out);
        }
    }

    @Test
    void openFlow10AddAndDump() throws Exception {
        String t = shunt.tcp();
        // -F openflow10: plain OpenFlow 1.0 messages, not Open vSwitch's NXM extensions.
        ofctl("OpenFlow10", "-F", "openflow10", "add-flow", t, "priority=5,in_port=1,dl_type=0x0800,actions=output:2").assertOk();
        assertEquals(Set.of("table=0, priority=5,ip,in_port=1 actions=output:2"), flows("OpenFlow10", t, "-F", "openflow10"));
        assertEquals(Set.of("table=0, priority=5,ip,in_port=1 actions=output:2"), flows("OpenFlow10", t));
    }

    @Test
    void openFlow14BundleIsAppliedAtomically() throws Exception {
        String t = shunt.tcp();
        Path file = tmp.resolve("bundle.txt");
        Files.write(file, List.of("priority=1,in_port=1,actions=output:2", "priority=1,in_port=2,actions=output:1"));
        ofctl("OpenFlow14", "--bundle", "add-flows", t, file.toString()).assertOk();
        Set<String> two = Set.of("table=0, priority=1,in_port=1 actions=output:2", "table=0, priority=1,in_port=2 actions=output:1");
        assertEquals(two, flows("OpenFlow14", t));
        // A bundle with one bad flow is refused as a whole.
        // An unknown group: ovs-ofctl cannot check that itself, so the bundle reaches the switch and fails at commit.
        Files.write(file, List.of("priority=2,in_port=1,actions=output:2", "priority=2,actions=group:99"));
        ExternalProcess.Result refused = ofctl("OpenFlow14", "--bundle", "add-flows", t, file.toString());
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.output().contains("Error OFPBAC_BAD_OUT_GROUP for: OFPT_FLOW_MOD (OF1.4)"), refused.output());
        assertTrue(refused.output().contains("Error OFPBFC_MSG_FAILED for: OFPT_BUNDLE_CONTROL (OF1.4)"), refused.output());
        assertEquals(two, flows("OpenFlow14", t), "nothing of the failed bundle was applied");
    }

    @Test
    void openFlow13BundleThroughTheOnfExtensionIsAppliedAtomically() throws Exception {
        String t = shunt.tcp();
        Path file = tmp.resolve("bundle13.txt");
        Files.write(file, List.of("priority=1,in_port=1,actions=output:2", "priority=1,in_port=2,actions=output:1"));
        // OF1.3 has no bundles: ovs-ofctl sends ONF experimenter messages 2300/2301 (the extension of OF1.4's).
        ofctl("OpenFlow13", "--bundle", "add-flows", t, file.toString()).assertOk();
        Set<String> two = Set.of("table=0, priority=1,in_port=1 actions=output:2", "table=0, priority=1,in_port=2 actions=output:1");
        assertEquals(two, flows("OpenFlow13", t));
        // One bad flow: the inner message's error, then the bundle's (an ONF experimenter error in 1.3), nothing applied.
        // (An unknown group: ovs-ofctl cannot see that locally, so the switch refuses it at commit.)
        Files.write(file, List.of("priority=2,in_port=1,actions=output:2", "priority=2,actions=group:99"));
        ExternalProcess.Result refused = ofctl("OpenFlow13", "--bundle", "add-flows", t, file.toString());
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.output().contains("Error OFPBAC_BAD_OUT_GROUP for: OFPT_FLOW_MOD (OF1.3)"), refused.output());
        assertTrue(refused.output().contains("Error OFPBFC_MSG_FAILED for: ONFT_BUNDLE_CONTROL (OF1.3)"), refused.output());
        assertEquals(two, flows("OpenFlow13", t), "nothing of the failed bundle was applied");
        // mod-flows and del-flows in a bundle too.
        ofctl("OpenFlow13", "--bundle", "mod-flows", t, "in_port=1,actions=drop").assertOk();
        ofctl("OpenFlow13", "--bundle", "--strict", "del-flows", t, "priority=1,in_port=2").assertOk();
        assertEquals(Set.of("table=0, priority=1,in_port=1 actions=drop"), flows("OpenFlow13", t));
    }

    @Test
    void openFlow15AddAndDump() throws Exception {
        String t = shunt.tcp();
        // Without --no-names: ovs-ofctl fetches the table names through an OF1.5 TABLE_FEATURES request first.
        ofctl("OpenFlow15", "add-flow", t, "table=0,priority=3,in_port=1,actions=goto_table:1").assertOk();
        ofctl("OpenFlow15", "add-flow", t, "table=1,priority=4,ip,actions=output:2").assertOk();
        assertEquals(Set.of("table=0, priority=3,in_port=1 actions=goto_table:1", "table=1, priority=4,ip actions=output:2"),
                flows("OpenFlow15", t));
        String features = ofctl("OpenFlow15", "dump-table-features", t).assertOk().output();
        assertTrue(features.contains("table 0 (\"table0\"):") && features.contains("table 253 (\"table253\"):"), features);

        // One 34-byte IPv4 frame through both tables: OF1.5 reports the counters as OXS fields (section 7.2.4).
        String frame = "ffffffffffff" + "000000000001" + "0800" + "45000014000000004000" + "0000" + "0a0000010a000002";
        ofctl("OpenFlow13", "packet-out", t, "in_port=1 packet=" + frame + " actions=table").assertOk();
        String dump = ofctl("OpenFlow15", "dump-flows", t).assertOk().output();
        assertEquals(2, dump.lines().filter(l -> l.contains("n_packets=1, n_bytes=34,")).count(), dump);
        String aggregate = ofctl("OpenFlow15", "dump-aggregate", t).assertOk().output();
        assertTrue(aggregate.contains("packet_count=2 byte_count=68 flow_count=2"), aggregate);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitUntil(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
