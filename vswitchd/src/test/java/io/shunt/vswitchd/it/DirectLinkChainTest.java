package io.shunt.vswitchd.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direct links end to end, with nothing simulated: shunt-vswitchd, the compute agent and the
 * test-vms programs as processes, flows through the real ovs-ofctl. A chain source → forwarder
 * → forwarder → sink: its three port-to-port paths become direct links, one is broken by a
 * flow-mod and reverted while traffic flows, and the sink still gets every packet once and in
 * order; the controller's counters equal the sink's.
 */
@Timeout(240)
class DirectLinkChainTest {
    private SwitchHarness sw;

    @BeforeEach
    void start() throws Exception {
        sw = new SwitchHarness();
    }

    @AfterEach
    void stop() throws Exception {
        sw.close();
    }

    private JsonNode links() throws java.io.IOException {
        return sw.rpc("links", SwitchHarness.JSON.createObjectNode()).get("links");
    }

    /** State of the link (or path) whose first direction goes from {@code from}; "absent" if none. */
    private String stateFrom(String from) throws java.io.IOException {
        for (JsonNode l : links()) {
            if (l.get("directions").get(0).get("from").asText().equals(from)) {
                return l.get("state").asText();
            }
        }
        return "absent";
    }

    private static long flowPackets(String dumpFlows, String match) {
        long sum = 0;
        boolean found = false;
        for (String line : dumpFlows.split("\n")) {
            if (line.contains(match)) {
                Matcher m = Pattern.compile("n_packets=(\\d+)").matcher(line);
                assertTrue(m.find(), line);
                sum += Long.parseLong(m.group(1));
                found = true;
            }
        }
        assertTrue(found, "no flow with " + match + " in\n" + dumpFlows);
        return sum;
    }

    /** port -> {rx pkts, rx bytes, tx pkts, tx bytes, tx drop} from ovs-ofctl dump-ports. */
    private static Map<Integer, long[]> ports(String dumpPorts) {
        Map<Integer, long[]> out = new HashMap<>();
        Matcher m = Pattern.compile(
                "port\\s+(\\d+):\\s+rx pkts=(\\d+), bytes=(\\d+),.*?\\n\\s+tx pkts=(\\d+), bytes=(\\d+), drop=(\\d+)",
                Pattern.DOTALL).matcher(dumpPorts);
        while (m.find()) {
            out.put(Integer.parseInt(m.group(1)), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6))});
        }
        return out;
    }

    private long enginePackets() throws Exception {
        long sum = 0;
        for (JsonNode pmd : sw.rpc("pmd-stats", SwitchHarness.JSON.createObjectNode())) {
            sum += pmd.get("packets").asLong();
        }
        return sum;
    }

    @Test
    void chainGoesDirectRevertsOnAFlowModAndLosesDuplicatesReordersNothing() throws Exception {
        sw.startAgent();
        sw.startDaemon();
        sw.setFailMode("secure");
        String[] names = {"src", "f1in", "f1out", "f2in", "f2out", "sink"};
        for (int i = 0; i < names.length; i++) {
            assertEquals(i + 1, sw.addPort(names[i]));
        }
        int n = 160_000;
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "sink", "--count", Integer.toString(n),
                "--idle-timeout", "60s");
        Process f1 = sw.testVm("io.shunt.vnf.Forwarder", "--port0", "f1in", "--port1", "f1out", "--no-drop",
                "--idle-timeout", "60s");
        Process f2 = sw.testVm("io.shunt.vnf.Forwarder", "--port0", "f2in", "--port1", "f2out", "--no-drop",
                "--idle-timeout", "60s");
        for (String vnfPort : new String[] {"f1in", "f1out", "f2in", "f2out", "sink"}) {
            sw.awaitVnfAttached(vnfPort);
        }
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        sw.ofctl("add-flow", "in_port=3,actions=output:4");
        sw.ofctl("add-flow", "in_port=5,actions=output:6");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "src", "--count", Integer.toString(n), "--flows", "4",
                "--rate", "8000", "--no-drop");

        SwitchHarness.awaitIo("three direct links", 60_000, () -> {
            try {
                return stateFrom("src").equals("DIRECT") && stateFrom("f1out").equals("DIRECT")
                        && stateFrom("f2out").equals("DIRECT");
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
        });
        long engineAtDirect = enginePackets();
        // A while on the links: traffic flows without the engine.
        SwitchHarness.awaitIo("traffic on every link", 30_000, () -> {
            try {
                for (JsonNode l : links()) {
                    if (l.get("directions").get(0).get("packets").asLong() < 2_000) {
                        return false;
                    }
                }
                return true;
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
        });
        long onLinks = 0;
        for (JsonNode l : links()) {
            onLinks += l.get("directions").get(0).get("packets").asLong();
        }
        assertTrue(enginePackets() - engineAtDirect < onLinks / 10,
                "the engine forwarded " + (enginePackets() - engineAtDirect) + " packets while " + onLinks
                        + " went over the links");

        // Break f1out=>f2in: a higher-priority entry for UDP only (same output) makes the path overlap.
        sw.ofctl("add-flow", "priority=40000,in_port=3,udp,actions=output:4");
        SwitchHarness.awaitIo("f1out=>f2in reverted", 30_000, () -> {
            try {
                return stateFrom("f1out").equals("absent");
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
        });
        JsonNode events = sw.rpc("link-events", SwitchHarness.JSON.createObjectNode());
        assertTrue(events.toString().contains("OVERLAPPING_ENTRY"), events.toString());

        assertEquals(n, SwitchHarness.summary(src, 120).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 150);
        Map<Integer, long[]> ports = ports(sw.ofctl("dump-ports"));
        // The forwarders never drop (--no-drop); a packet the switch could not put into a stalled VNF's
        // full rx ring is a counted tx drop. Nothing may be missing beyond what the switch counted.
        long d2 = ports.get(2)[4];
        long d4 = ports.get(4)[4];
        long d6 = ports.get(6)[4];
        assertEquals(n, got.get("received").asLong() + d2 + d4 + d6, got + " with tx drops " + d2 + "/" + d4 + "/" + d6);
        assertEquals(d2 + d4 + d6, got.get("lost").asLong(), got.toString());
        assertEquals(0, got.get("duplicated").asLong(), got.toString());
        assertEquals(0, got.get("reordered").asLong(), got.toString());

        // What the controller sees equals what the VNFs did, with the bypass in between.
        String flows = sw.ofctl("dump-flows");
        assertEquals(n, flowPackets(flows, "in_port=1"), flows);
        assertEquals(n - d2, flowPackets(flows, "in_port=3"), flows);
        assertEquals(n - d2 - d4, flowPackets(flows, "in_port=5"), flows);
        assertEquals(n, ports.get(1)[0], "rx packets of the source's port");
        assertEquals(n - d2, ports.get(2)[2], "tx packets of f1in");
        assertEquals(n - d2, ports.get(3)[0], "rx packets of f1out");
        assertEquals(n - d2 - d4, ports.get(4)[2], "tx packets of f2in");
        assertEquals(n - d2 - d4, ports.get(5)[0], "rx packets of f2out");
        assertEquals(got.get("received").asLong(), ports.get(6)[2], "tx packets of the sink's port");
        assertEquals(got.get("bytes").asLong(), ports.get(6)[3], "tx bytes of the sink's port");
        assertEquals(n * 64L, ports.get(1)[1], "rx bytes of the source's port");
        // Table 0 looked up and matched every packet that entered the switch's ports (DESIGN 4.4), whether
        // the classifier, the PMD's caches or a link carried it.
        long entered = n + (n - d2) + (n - d2 - d4);
        String tables = sw.ofctl("dump-tables");
        java.util.regex.Matcher t0 = java.util.regex.Pattern.compile("table 0:\\n\\s+active=\\d+, lookup=(\\d+), matched=(\\d+)")
                .matcher(tables);
        assertTrue(t0.find(), tables);
        assertEquals(entered, Long.parseLong(t0.group(1)), "table 0 lookups\n" + tables);
        assertEquals(entered, Long.parseLong(t0.group(2)), "table 0 matches\n" + tables);
        f1.destroy();
        f2.destroy();
    }

    @Test
    void withoutAnAgentThePathWaitsOnTheSwitchForTheLoggedCommandsWhichBringItDirect() throws Exception {
        sw.startDaemon();
        sw.setFailMode("secure");
        sw.addPort("a");
        sw.addPort("b");
        int n = 40_000;
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "b", "--count", Integer.toString(n), "--idle-timeout", "60s");
        sw.awaitVnfAttached("b");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "a", "--count", Integer.toString(n), "--rate", "2000",
                "--no-drop");
        sw.awaitVnfAttached("a");
        // Both ends registered: the log names the exact command for each of them.
        List<String> commands = new ArrayList<>();
        SwitchHarness.awaitIo("the manual plug commands for both ports", 30_000, () -> {
            commands.clear();
            Matcher m = Pattern.compile("by hand run: (mkdir -p \\S+/devices && ln -sfn \\S+ \\S+ && mv -T \\S+ \\S+)")
                    .matcher(sw.daemonLog());
            while (m.find()) {
                if (!commands.contains(m.group(1))) {
                    commands.add(m.group(1));
                }
            }
            return commands.size() == 2;
        });
        JsonNode l = links().get(0);
        assertEquals("PLUGGING", l.get("state").asText(), l.toString());
        assertTrue(l.get("error").asText().contains("no compute agent configured"), l.toString());
        assertTrue(commands.getFirst().contains("ln -sfn " + sw.regionDir.resolve(l.get("name").asText())), commands.toString());

        // The operator runs them: the link goes direct, the traffic never stopped.
        for (String c : commands) {
            Process sh = new ProcessBuilder("sh", "-c", c).redirectErrorStream(true).start();
            assertEquals(0, sh.waitFor(), new String(sh.getInputStream().readAllBytes()));
        }
        SwitchHarness.awaitIo("the link DIRECT", 30_000, () -> stateFrom("a").equals("DIRECT"));

        assertEquals(n, SwitchHarness.summary(src, 60).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 60);
        long dropped = ports(sw.ofctl("dump-ports")).get(2)[4];
        assertEquals(n, got.get("received").asLong() + dropped, got + " with " + dropped + " tx drops on port b");
        assertEquals(dropped, got.get("lost").asLong(), got.toString());
        assertEquals(0, got.get("duplicated").asLong(), got.toString());
        assertEquals(0, got.get("reordered").asLong(), got.toString());
        assertEquals(n, flowPackets(sw.ofctl("dump-flows"), "in_port=1"));
    }

    @Test
    void aPairSharesOneRegionAndItsBusyDirectionGoesDirect() throws Exception {
        sw.startAgent();
        sw.startDaemon();
        sw.setFailMode("secure");
        String[] names = {"src", "fin", "fout", "sink"};
        for (int i = 0; i < names.length; i++) {
            assertEquals(i + 1, sw.addPort(names[i]));
        }
        int n = 40_000;
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "sink", "--count", Integer.toString(n),
                "--idle-timeout", "60s");
        Process fwd = sw.testVm("io.shunt.vnf.Forwarder", "--port0", "fin", "--port1", "fout", "--no-drop",
                "--idle-timeout", "60s");
        for (String vnfPort : new String[] {"fin", "fout", "sink"}) {
            sw.awaitVnfAttached(vnfPort);
        }
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        // fout<=>sink is a point-to-point pair: one region, two rings; the sink never sends.
        sw.ofctl("add-flow", "in_port=3,actions=output:4");
        sw.ofctl("add-flow", "in_port=4,actions=output:3");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "src", "--count", Integer.toString(n), "--rate", "4000",
                "--no-drop");
        // The link as a whole follows its transmitting direction: DIRECT, with the idle one (the sink never
        // sends) waiting for its producer's first burst, shown in `error`, never reverted for it.
        try {
            SwitchHarness.awaitIo("the pair DIRECT with fout=>sink direct", 60_000, () -> {
                for (JsonNode l : links()) {
                    if (l.get("pair").asBoolean() && l.get("state").asText().equals("DIRECT")
                            && l.get("directions").get(0).get("state").asText().equals("DIRECT")) {
                        return true;
                    }
                }
                return false;
            });
        } catch (AssertionError e) {
            String log = sw.daemonLog();
            throw new AssertionError(e.getMessage() + "; links " + links() + "; last of the daemon's log:\n"
                    + log.substring(Math.max(0, log.length() - 6_000)) + "\n" + sw.vnfLogTails(), e);
        }
        JsonNode pair = null;
        for (JsonNode l : links()) {
            if (l.get("pair").asBoolean()) {
                pair = l;
            }
        }
        assertTrue(pair.get("name").asText().startsWith("shunt-link-br0-3-4-"), pair.toString());
        assertEquals(2, pair.get("directions").size(), pair.toString());
        assertEquals("fout", pair.get("directions").get(0).get("from").asText());
        assertEquals("sink", pair.get("directions").get(1).get("from").asText());
        assertEquals("TX_SWITCHED", pair.get("directions").get(1).get("state").asText(), pair.toString());
        assertTrue(pair.get("error").asText("").contains("waiting for the VNF of port sink to transmit"), pair.toString());

        assertEquals(n, SwitchHarness.summary(src, 120).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 120);
        Map<Integer, long[]> ports = ports(sw.ofctl("dump-ports"));
        long d2 = ports.get(2)[4];
        long d4 = ports.get(4)[4];
        assertEquals(n, got.get("received").asLong() + d2 + d4, got + " with tx drops " + d2 + "/" + d4);
        assertEquals(0, got.get("duplicated").asLong(), got.toString());
        assertEquals(0, got.get("reordered").asLong(), got.toString());
        assertEquals(n - d2, flowPackets(sw.ofctl("dump-flows"), "in_port=3"));
        assertEquals(got.get("received").asLong(), ports.get(4)[2], "tx packets of the sink's port");
        fwd.destroy();
    }
}
