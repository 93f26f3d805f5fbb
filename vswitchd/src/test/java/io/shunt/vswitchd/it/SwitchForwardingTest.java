package io.shunt.vswitchd.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The switch end to end: shunt-vswitchd as a process, VNFs as processes on real shared
 * memory, flows and statistics through the real ovs-ofctl on the bridge's unix socket.
 */
@Timeout(180)
class SwitchForwardingTest {
    private static final String MAC_A = "020000000001";
    private static final String MAC_B = "020000000002";
    private static final String MAC_C = "020000000003";

    private SwitchHarness sw;

    @BeforeEach
    void start() throws Exception {
        sw = new SwitchHarness();
    }

    @AfterEach
    void stop() throws Exception {
        sw.close();
    }

    private static long portStat(String dumpPorts, int port, String dir, String field) {
        Matcher m = Pattern.compile("port\\s+" + port + ":\\s+rx pkts=(\\d+), bytes=(\\d+), drop=(\\d+), errs=(\\d+)"
                + ".*?\\n\\s+tx pkts=(\\d+), bytes=(\\d+), drop=(\\d+)", Pattern.DOTALL).matcher(dumpPorts);
        assertTrue(m.find(), "port " + port + " in dump-ports output:\n" + dumpPorts);
        int group = switch (dir + " " + field) {
            case "rx pkts" -> 1;
            case "rx bytes" -> 2;
            case "rx errs" -> 4;
            case "tx pkts" -> 5;
            case "tx bytes" -> 6;
            case "tx drop" -> 7;
            default -> throw new IllegalArgumentException(dir + " " + field);
        };
        return Long.parseLong(m.group(group));
    }

    private static long flowPackets(String dumpFlows, String match) {
        for (String line : dumpFlows.split("\n")) {
            if (line.contains(match)) {
                Matcher m = Pattern.compile("n_packets=(\\d+)").matcher(line);
                assertTrue(m.find(), line);
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no flow with " + match + " in\n" + dumpFlows);
    }

    @Test
    void sourceForwarderSinkChainDeliversEveryPacketInOrderAndCountersAgree() throws Exception {
        sw.startDaemon();
        assertEquals(1, sw.addPort("src"));
        assertEquals(2, sw.addPort("fwdin"));
        assertEquals(3, sw.addPort("fwdout"));
        assertEquals(4, sw.addPort("sink"));
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        sw.ofctl("add-flow", "in_port=3,actions=output:4");
        int n = 20_000;
        // Long idle timers: on a loaded machine a VNF JVM may stall for seconds; the expected count ends them.
        Process sink = sw.vnf("sink", "sink", "10000", "120000", Integer.toString(n));
        Process fwd = sw.vnf("forwarder", "fwdin", "fwdout", "10000", "120000", Integer.toString(n));
        // Paced: a switch drops what a slower VNF cannot take (counted as tx drops, as seen when the
        // forwarder stalls for tens of ms on a loaded 2-core machine); this test is about loss inside the
        // switch, so the source stays well below what the VNFs drain, and rings hold 400 ms of it.
        Process src = sw.vnf("source", "src", Integer.toString(n), MAC_A, MAC_B, "10000");

        assertEquals(n, SwitchHarness.summary(src, 120).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 150);
        JsonNode forwarded = SwitchHarness.summary(fwd, 30);
        String ports = sw.ofctl("dump-ports");
        // A VNF that stalls longer than its rx ring holds (a JVM descheduled on a loaded 2-core machine)
        // makes the switch drop, as Open vSwitch does on a full dpdkr ring: every packet is either
        // delivered in order or counted as a tx drop of the port whose ring was full; nothing vanishes.
        long dropsToFwd = portStat(ports, 2, "tx", "drop");
        long dropsToSink = portStat(ports, 4, "tx", "drop");
        assertEquals(n - dropsToFwd, forwarded.get("forwarded").asLong(), ports);
        assertEquals(n - dropsToFwd - dropsToSink, got.get("received").asLong(), got + "\n" + ports);
        assertEquals(0, got.get("out_of_order").asLong());

        assertEquals(n, portStat(ports, 1, "rx", "pkts"));
        assertEquals(n * 64L, portStat(ports, 1, "rx", "bytes"));
        assertEquals(n - dropsToFwd, portStat(ports, 2, "tx", "pkts"));
        assertEquals(n - dropsToFwd, portStat(ports, 3, "rx", "pkts"));
        assertEquals(got.get("received").asLong(), portStat(ports, 4, "tx", "pkts"));
        assertEquals(got.get("bytes").asLong(), portStat(ports, 4, "tx", "bytes"));
        String flows = sw.ofctl("dump-flows");
        assertEquals(n, flowPackets(flows, "in_port=1"));
        assertEquals(n - dropsToFwd, flowPackets(flows, "in_port=3"));
    }

    @Test
    void normalLearnsAddressesAndStopsFloodingInFailModeStandalone() throws Exception {
        sw.startDaemon();
        sw.addPort("a");
        sw.addPort("b");
        sw.addPort("c");
        // Each sink stops at its expected count: a new source JVM may take seconds to start here.
        Process sinkA = sw.vnf("sink", "a", "30000", "120000", "1");
        Process sinkB = sw.vnf("sink", "b", "30000", "120000", "10");
        Process sinkC = sw.vnf("sink", "c", "30000", "120000", "20");
        // C is unknown: flooded to B and C.
        SwitchHarness.summary(sw.vnf("source", "a", "10", MAC_A, MAC_C), 60);
        SwitchHarness.awaitIo("10 frames flooded", 30_000,
                () -> sw.counters("b").get("tx_packets").asLong() == 10 && sw.counters("c").get("tx_packets").asLong() == 10);
        // C answers A: A was learned on port 1, so only A gets it; C is learned on port 3.
        SwitchHarness.summary(sw.vnf("source", "c", "1", MAC_C, MAC_A), 60);
        SwitchHarness.awaitIo("the answer", 30_000, () -> sw.counters("a").get("tx_packets").asLong() == 1);
        // Now C is known: no more flooding to B.
        SwitchHarness.summary(sw.vnf("source", "a", "10", MAC_A, MAC_C), 60);
        SwitchHarness.awaitIo("10 frames to C", 30_000, () -> sw.counters("c").get("tx_packets").asLong() == 20);

        assertEquals(1, SwitchHarness.summary(sinkA, 60).get("received").asLong());
        assertEquals(10, SwitchHarness.summary(sinkB, 60).get("received").asLong());
        assertEquals(20, SwitchHarness.summary(sinkC, 60).get("received").asLong());
        assertEquals(10, sw.counters("b").get("tx_packets").asLong());
        assertEquals(1, sw.counters("a").get("tx_packets").asLong());
    }

    @Test
    void failModeSecureWithoutFlowsForwardsNothing() throws Exception {
        sw.startDaemon();
        sw.setFailMode("secure");
        sw.addPort("a");
        sw.addPort("b");
        Process sinkB = sw.vnf("sink", "b", "2000", "8000");
        SwitchHarness.summary(sw.vnf("source", "a", "100", MAC_A, MAC_B), 60);
        SwitchHarness.awaitIo("100 frames received and dropped as table misses", 30_000, () -> {
            JsonNode pmd = sw.rpc("pmd-stats", SwitchHarness.JSON.createObjectNode()).get(0);
            return sw.counters("a").get("rx_packets").asLong() == 100
                    && pmd.get("drops").get("table_miss").asLong() == 100;
        });
        assertEquals(0, SwitchHarness.summary(sinkB, 60).get("received").asLong());
        assertEquals(0, sw.counters("b").get("tx_packets").asLong());
    }

    @Test
    void tableMissEntrySendsPacketInsToTheController() throws Exception {
        sw.startDaemon();
        sw.setFailMode("secure");
        sw.addPort("a");
        sw.ofctl("add-flow", "priority=0,actions=CONTROLLER:65535");
        Path monitorOut = sw.stateDir.resolve("monitor.txt");
        sw.background(List.of("stdbuf", "-oL", "ovs-ofctl", "-O", "OpenFlow13",
                "--unixctl=" + sw.runDir.resolve("ofctl-monitor.ctl"), "monitor",
                "unix:" + sw.runDir.resolve("br0.mgmt")), monitorOut);
        SwitchHarness.awaitIo("the monitor's connection", 30_000, () ->
                sw.rpc("connections", SwitchHarness.JSON.createObjectNode()).get(0).get("openflow_connections").asInt() == 1);
        SwitchHarness.summary(sw.vnf("source", "a", "5", MAC_A, MAC_B), 60);
        SwitchHarness.await("5 packet-ins", 30_000, () -> count(monitorOut, "OFPT_PACKET_IN") == 5);
        String text = Files.readString(monitorOut);
        assertEquals(5, count(monitorOut, "in_port=1"), text);
        assertTrue(text.contains("total_len=64"), text);
    }

    private static int count(Path file, String needle) {
        try {
            return (int) Files.readAllLines(file).stream().filter(l -> l.contains(needle)).count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Test
    void afterTheBarrierReplyNoPacketFollowsTheOldRule() throws Exception {
        sw.startDaemon();
        sw.setFailMode("secure");
        sw.addPort("a");
        sw.addPort("b");
        sw.addPort("c");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        int n = 30_000;
        // Long idle timers: a source JVM may stall for seconds on a loaded machine.
        Process sinkB = sw.vnf("sink", "b", "15000", "150000");
        Process sinkC = sw.vnf("sink", "c", "15000", "150000");
        Process src = sw.vnf("source", "a", Integer.toString(n), MAC_A, MAC_B, "10000");
        SwitchHarness.awaitIo("traffic on port 2", 60_000, () -> sw.counters("b").get("tx_packets").asLong() > 2_000);
        // ovs-ofctl sends the flow_mod and a barrier, and returns on the barrier reply.
        sw.ofctl("mod-flows", "in_port=1,actions=output:3");
        long toBAtAck = sw.counters("b").get("tx_packets").asLong();

        assertEquals(n, SwitchHarness.summary(src, 120).get("sent").asLong());
        JsonNode b = SwitchHarness.summary(sinkB, 150);
        JsonNode c = SwitchHarness.summary(sinkC, 150);
        assertTrue(toBAtAck < n, "the change came after the traffic");
        assertEquals(toBAtAck, sw.counters("b").get("tx_packets").asLong(), "port 2 got packets after the barrier reply");
        assertEquals(toBAtAck, b.get("received").asLong());
        // Drops on a full ring (a stalled sink) are counted, as in the chain test.
        String ports = sw.ofctl("dump-ports");
        assertEquals(n, b.get("received").asLong() + c.get("received").asLong()
                + portStat(ports, 2, "tx", "drop") + portStat(ports, 3, "tx", "drop"), ports);
        assertEquals(0, b.get("out_of_order").asLong());
        assertEquals(0, c.get("out_of_order").asLong());
        assertTrue(b.get("last_seq").asLong() < c.get("first_seq").asLong(), "no packet of C came before one of B");
    }

    @Test
    void garbageDescriptorsAreCountedAndDroppedWhileOtherPortsKeepForwarding() throws Exception {
        sw.startDaemon();
        sw.addPort("a");
        sw.addPort("b");
        sw.addPort("bad");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        sw.ofctl("add-flow", "in_port=3,actions=output:2");
        Process sinkB = sw.vnf("sink", "b", "2000", "120000");
        JsonNode garbage = SwitchHarness.summary(sw.vnf("garbage", "bad", "100"), 60);
        assertEquals(100, garbage.get("bad_lengths").asLong());
        int n = 5_000;
        SwitchHarness.summary(sw.vnf("source", "a", Integer.toString(n), MAC_A, MAC_B, "10000"), 60);
        SwitchHarness.awaitIo("garbage counted", 30_000, () -> sw.counters("bad").get("rx_errors").asLong() == 200);
        JsonNode got = SwitchHarness.summary(sinkB, 120);
        assertEquals(n, got.get("received").asLong());
        assertEquals(0, got.get("out_of_order").asLong());
        String ports = sw.ofctl("dump-ports");
        assertEquals(200, portStat(ports, 3, "rx", "errs"));
        assertEquals(0, portStat(ports, 3, "rx", "pkts"));
        assertEquals(n, portStat(ports, 2, "tx", "pkts"));
    }

    @Test
    void packetOutFromTheControllerReachesTheVnf() throws Exception {
        sw.startDaemon();
        sw.setFailMode("secure");
        sw.addPort("a");
        sw.addPort("b");
        Process sinkB = sw.vnf("sink", "b", "1000", "15000");
        // dst 02:00:00:00:00:02, src 02:00:00:00:00:01, ethertype 0x88b5, sequence 7, padded to 64 bytes.
        String frame = MAC_B + MAC_A + "88b5" + "0000000000000007" + "00".repeat(42);
        for (int i = 0; i < 3; i++) {
            sw.ofctl("packet-out", "in_port=controller,packet=" + frame + ",actions=output:2");
        }
        JsonNode got = SwitchHarness.summary(sinkB, 60);
        assertEquals(3, got.get("received").asLong(), got.toString());
        assertEquals(7, got.get("first_seq").asLong());
        assertEquals(3, sw.counters("b").get("tx_packets").asLong());
    }

    @Test
    void portsAddedAndRemovedAtRunTimeComeAndGoWithTheirRegions() throws Exception {
        sw.startDaemon();
        sw.addPort("a");
        assertEquals(2, sw.addPort("b"));
        assertTrue(sw.ofctl("dump-ports-desc").contains(" 2(b):"));
        Path region = sw.regionDir.resolve("shunt-port-b");
        assertTrue(Files.exists(region));
        com.fasterxml.jackson.databind.node.ObjectNode p = SwitchHarness.JSON.createObjectNode();
        p.put("bridge", "br0");
        p.put("port", "b");
        sw.rpc("del-port", p);
        String desc = sw.ofctl("dump-ports-desc");
        assertTrue(!desc.contains("(b):") && desc.contains(" 1(a):"), desc);
        assertTrue(!Files.exists(region), "region file removed with the port");
        // Port numbers are not reused while the bridge lives.
        assertEquals(3, sw.addPort("c"));
        assertTrue(sw.ofctl("dump-ports-desc").contains(" 3(c):"));
    }

    @Test
    void testVmsChainThroughTheSwitchLosesDuplicatesAndReordersNothing() throws Exception {
        sw.startDaemon();
        sw.setFailMode("secure");
        sw.addPort("dpdkr0");
        sw.addPort("dpdkr1");
        sw.addPort("dpdkr2");
        sw.addPort("dpdkr3");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        sw.ofctl("add-flow", "in_port=3,actions=output:4");
        int n = 20_000;
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "dpdkr3", "--count", Integer.toString(n),
                "--idle-timeout", "10s");
        Process fwd = sw.testVm("io.shunt.vnf.Forwarder", "--port0", "dpdkr1", "--port1", "dpdkr2", "--no-drop",
                "--idle-timeout", "5s");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "dpdkr0", "--count", Integer.toString(n),
                "--flows", "4", "--rate", "10000", "--no-drop");
        assertEquals(n, SwitchHarness.summary(src, 120).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 150);
        JsonNode forwarded = SwitchHarness.summary(fwd, 60);
        // The VNFs never drop (--no-drop waits for ring space); the switch drops only into a full rx
        // ring of a VNF that stalled longer than the ring holds, and counts it: the sink's losses are
        // exactly those counted drops, and nothing is duplicated or reordered.
        String ports = sw.ofctl("dump-ports");
        long dropsToFwd = portStat(ports, 2, "tx", "drop");
        long dropsToSink = portStat(ports, 4, "tx", "drop");
        assertEquals(n - dropsToFwd - dropsToSink, got.get("received").asLong(), got + "\n" + ports);
        assertEquals(0, got.get("duplicated").asLong());
        assertEquals(0, got.get("reordered").asLong());
        assertEquals(4, got.get("flowsSeen").asLong());
        assertEquals(n - dropsToFwd, forwarded.get("forward").get("forwarded").asLong(), forwarded.toString());
        String flows = sw.ofctl("dump-flows");
        assertEquals(n, flowPackets(flows, "in_port=1"));
        assertEquals(n - dropsToFwd, flowPackets(flows, "in_port=3"));
    }

    /**
     * 100,000 {@code in_port,dl_dst} rules hit by 100,000 distinct frames, twice each: every
     * flow takes one upcall and then stays in the megaflow cache (with OVS's 65,536 megaflows
     * per PMD a third of them would go on taking upcalls), and the flow counters add up.
     */
    @Test
    void aHundredThousandActiveFlowsTakeOneUpcallEach() throws Exception {
        int flows = 100_000;
        int packets = 2 * flows;
        sw.startDaemon();
        sw.setFailMode("secure");
        sw.addPort("dpdkr0");
        sw.addPort("dpdkr1");
        // Two bundles: the switch takes at most 65,536 messages in one.
        for (int half = 0; half < 2; half++) {
            Path table = sw.stateDir.resolve("flows-" + half + ".txt");
            StringBuilder text = new StringBuilder();
            for (int f = half * flows / 2; f < (half + 1) * flows / 2; f++) {
                text.append(String.format("in_port=1,dl_dst=02:00:%02x:%02x:%02x:%02x,actions=output:2%n",
                        f >>> 24, (f >>> 16) & 0xff, (f >>> 8) & 0xff, f & 0xff));
            }
            Files.writeString(table, text);
            Process add = new ProcessBuilder("ovs-ofctl", "-O", "OpenFlow14", "--bundle", "add-flows",
                    "unix:" + sw.runDir.resolve("br0.mgmt"), table.toString()).redirectErrorStream(true).start();
            String out = new String(add.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(add.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) && add.exitValue() == 0, out);
        }
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "dpdkr1", "--count", Integer.toString(packets),
                "--max-flows", Integer.toString(flows), "--idle-timeout", "20s");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "dpdkr0", "--count", Integer.toString(packets),
                "--vary", "dl_dst", "--dst-mac", "02:00:00:00:00:00", "--flows", Integer.toString(flows),
                "--rate", "200000", "--no-drop");
        assertEquals(packets, SwitchHarness.summary(src, 120).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 120);
        String ports = sw.ofctl("dump-ports");
        long dropped = portStat(ports, 2, "tx", "drop");
        assertEquals(packets - dropped, got.get("received").asLong(), got + "\n" + ports);
        assertEquals(flows, got.get("flowsSeen").asLong());
        JsonNode pmd = sw.rpc("pmd-stats", SwitchHarness.JSON.createObjectNode()).get(0);
        assertEquals(packets, pmd.get("packets").asLong(), pmd.toString());
        assertEquals(flows, pmd.get("upcalls").asLong(), "one upcall per flow: " + pmd);
        assertEquals(flows, pmd.get("megaflow_inserts").asLong(), pmd.toString());
        String aggregate = sw.ofctl("dump-aggregate");
        assertTrue(aggregate.contains("packet_count=" + packets) && aggregate.contains("flow_count=" + flows), aggregate);
    }

    @Test
    void aPortModNoReceiveDropsItsTrafficUntilReceiveIsBack() throws Exception {
        sw.startDaemon();
        sw.setFailMode("secure");
        sw.addPort("a");
        sw.addPort("b");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        Process sinkB = sw.vnf("sink", "b", "30000", "120000", "110");
        SwitchHarness.summary(sw.vnf("source", "a", "100", MAC_A, MAC_B), 60);
        SwitchHarness.awaitIo("100 forwarded", 30_000, () -> sw.counters("b").get("tx_packets").asLong() == 100);
        sw.ofctl("mod-port", "a", "no-receive");
        SwitchHarness.summary(sw.vnf("source", "a", "50", MAC_A, MAC_B), 60);
        SwitchHarness.awaitIo("50 dropped at input", 30_000, () -> sw.rpc("pmd-stats", SwitchHarness.JSON.createObjectNode())
                .get(0).get("drops").get("rx_disabled").asLong() == 50);
        sw.ofctl("mod-port", "a", "receive");
        SwitchHarness.summary(sw.vnf("source", "a", "10", MAC_A, MAC_B), 60);
        SwitchHarness.awaitIo("10 more forwarded", 30_000, () -> sw.counters("b").get("tx_packets").asLong() == 110);
        assertEquals(110, SwitchHarness.summary(sinkB, 60).get("received").asLong());
        assertEquals(160, sw.counters("a").get("rx_packets").asLong());
    }

    @Test
    void twoPmdThreadsOutputToOnePortWithoutLossOrReordering() throws Exception {
        sw.startDaemon();
        com.fasterxml.jackson.databind.node.ObjectNode pmd = SwitchHarness.JSON.createObjectNode();
        pmd.put("threads", 2);
        sw.rpc("set-pmd", pmd);
        sw.setFailMode("secure");
        sw.addPort("dpdkr0");
        sw.addPort("dpdkr1");
        sw.addPort("dpdkr2");
        sw.restartDaemon();     // PMD settings apply at start
        assertEquals(2, sw.rpc("pmd-stats", SwitchHarness.JSON.createObjectNode()).size());
        // Ports 1 and 2 are polled by different PMDs; both send to port 3.
        sw.ofctl("add-flow", "in_port=1,actions=output:3");
        sw.ofctl("add-flow", "in_port=2,actions=output:3");
        int n = 10_000;
        Process sink = sw.vnf("sink", "dpdkr2", "10000", "150000", Integer.toString(2 * n));
        Process src0 = sw.vnf("source", "dpdkr0", Integer.toString(n), MAC_A, MAC_C, "10000");
        Process src1 = sw.vnf("source", "dpdkr1", Integer.toString(n), MAC_B, MAC_C, "10000");
        assertEquals(n, SwitchHarness.summary(src0, 120).get("sent").asLong());
        assertEquals(n, SwitchHarness.summary(src1, 120).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 150);
        String ports = sw.ofctl("dump-ports");
        // Drops on a full ring (the sink stalled) are counted; the rest arrives once and in order per source.
        long drops = portStat(ports, 3, "tx", "drop");
        assertEquals(2L * n - drops, got.get("received").asLong(), got + "\n" + ports);
        assertEquals(got.get("received").asLong(), portStat(ports, 3, "tx", "pkts"), ports);
        assertEquals(0, got.get("out_of_order").asLong(), got.toString());
        assertEquals(2L * n - drops, got.get("by_source").get("20000000001").asLong()
                + got.get("by_source").get("20000000002").asLong(), got.toString());
        JsonNode stats = sw.rpc("pmd-stats", SwitchHarness.JSON.createObjectNode());
        assertTrue(stats.get(0).get("packets").asLong() > 0 && stats.get(1).get("packets").asLong() > 0, stats.toString());
    }
}
