package io.shunt.vswitchd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
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

    private JsonNode links() throws Exception {
        return sw.rpc("links", SwitchHarness.JSON.createObjectNode()).get("links");
    }

    /** State of the link (or path) whose first direction goes from {@code from}; "absent" if none. */
    private String stateFrom(String from) throws Exception {
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

    /** port -> {rx pkts, rx bytes, tx pkts, tx bytes} from ovs-ofctl dump-ports. */
    private static Map<Integer, long[]> ports(String dumpPorts) {
        Map<Integer, long[]> out = new HashMap<>();
        Matcher m = Pattern.compile("port\\s+(\\d+):\\s+rx pkts=(\\d+), bytes=(\\d+),.*?\\n\\s+tx pkts=(\\d+), bytes=(\\d+)",
                Pattern.DOTALL).matcher(dumpPorts);
        while (m.find()) {
            out.put(Integer.parseInt(m.group(1)), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)), Long.parseLong(m.group(5))});
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
        int n = 200_000;
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "sink", "--count", Integer.toString(n),
                "--idle-timeout", "60s");
        Process f1 = sw.testVm("io.shunt.vnf.Forwarder", "--port0", "f1in", "--port1", "f1out", "--no-drop",
                "--idle-timeout", "60s");
        Process f2 = sw.testVm("io.shunt.vnf.Forwarder", "--port0", "f2in", "--port1", "f2out", "--no-drop",
                "--idle-timeout", "60s");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        sw.ofctl("add-flow", "in_port=3,actions=output:4");
        sw.ofctl("add-flow", "in_port=5,actions=output:6");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "src", "--count", Integer.toString(n), "--flows", "4",
                "--rate", "10000", "--no-drop");

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
        assertEquals(n, got.get("received").asLong(), got.toString());
        assertEquals(0, got.get("lost").asLong(), got.toString());
        assertEquals(0, got.get("duplicated").asLong(), got.toString());
        assertEquals(0, got.get("reordered").asLong(), got.toString());

        // What the controller sees equals what the sink got, with the bypass in between.
        String flows = sw.ofctl("dump-flows");
        assertEquals(n, flowPackets(flows, "in_port=1"), flows);
        assertEquals(n, flowPackets(flows, "in_port=3"), flows);
        assertEquals(n, flowPackets(flows, "in_port=5"), flows);
        Map<Integer, long[]> ports = ports(sw.ofctl("dump-ports"));
        for (int p : new int[] {1, 3, 5}) {
            assertEquals(n, ports.get(p)[0], "rx packets of port " + p);
            assertEquals(n, ports.get(p + 1)[2], "tx packets of port " + (p + 1));
        }
        assertEquals(got.get("bytes").asLong(), ports.get(6)[3], "tx bytes of the sink's port");
        assertEquals(got.get("bytes").asLong(), ports.get(1)[1], "rx bytes of the source's port");
        f1.destroy();
        f2.destroy();
    }

    @Test
    void withoutAnAgentThePathStaysOnTheSwitchAndTheManualCommandIsLogged() throws Exception {
        sw.startDaemon();
        sw.setFailMode("secure");
        sw.addPort("a");
        sw.addPort("b");
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "b", "--count", "2000", "--idle-timeout", "60s");
        // The sink's shim registers port b; a source on a registers a.
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "a", "--count", "2000", "--rate", "1000", "--no-drop");
        SwitchHarness.awaitIo("the link waiting for a retry", 30_000, () -> {
            try {
                JsonNode l = links().get(0);
                return l != null && l.get("state").asText().equals("RETRY_WAIT");
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
        });
        JsonNode l = links().get(0);
        assertTrue(l.get("error").asText().contains("no compute agent configured"), l.toString());
        assertEquals(2000, SwitchHarness.summary(src, 60).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 60);
        assertEquals(2000, got.get("received").asLong(), got.toString());
        assertEquals(0, got.get("reordered").asLong(), got.toString());
        String log = sw.daemonLog();
        assertTrue(log.contains("ln -sfn " + sw.regionDir), log);
        assertTrue(log.contains("RETRY_WAIT"), log);
        assertEquals(2000, flowPackets(sw.ofctl("dump-flows"), "in_port=1"));
    }
}
