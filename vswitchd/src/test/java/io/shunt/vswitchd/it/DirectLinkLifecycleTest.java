package io.shunt.vswitchd.it;

import static io.shunt.vswitchd.it.LinkProbe.*;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.ring.SpscRing;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A direct link's life beyond flow-mods, with real processes (vswitchd, compute agent,
 * test-vms): disabling direct links on a port reverts the link under traffic; kill -9 of
 * vswitchd leaves the direct traffic flowing, and the restarted vswitchd re-adopts the link
 * from its region, with port statistics that go on counting.
 */
@Timeout(240)
class DirectLinkLifecycleTest {
    private SwitchHarness sw;

    @BeforeEach
    void start() throws Exception {
        sw = new SwitchHarness();
        sw.startAgent();
        sw.startDaemon();
        sw.setFailMode("secure");
        assertEquals(1, sw.addPort("a"));
        assertEquals(2, sw.addPort("b"));
    }

    @AfterEach
    void stop() throws Exception {
        sw.close();
    }

    private String state() throws IOException {
        JsonNode l = firstLink(sw);
        return l == null ? "absent" : l.get("state").asText();
    }

    @Test
    void disablingDirectLinksOnAPortRevertsUnderTrafficWithoutLoss() throws Exception {
        int n = 60_000;
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "b", "--count", Integer.toString(n), "--idle-timeout", "60s");
        sw.awaitVnfAttached("b");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "a", "--count", Integer.toString(n), "--rate", "4000",
                "--no-drop");
        SwitchHarness.awaitIo("the link DIRECT", 60_000, () -> state().equals("DIRECT"));
        SwitchHarness.awaitIo("traffic on the link", 30_000, () -> firstLinkPackets(sw) > 2_000);

        sw.rpc("set-direct-links", SwitchHarness.JSON.createObjectNode().put("port", "b").put("enabled", false));
        SwitchHarness.awaitIo("the link reverted", 30_000, () -> firstLink(sw) != null && firstLink(sw).get("name").isNull());
        JsonNode l = firstLink(sw);
        assertEquals("NORMAL", l.get("state").asText(), l.toString());
        assertEquals("direct links disabled on port b", l.get("error").asText());
        assertTrue(sw.rpc("link-events", SwitchHarness.JSON.createObjectNode()).toString()
                .contains("direct links disabled on port b"));

        assertEquals(n, SwitchHarness.summary(src, 120).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 120);
        assertDeliveredOnceInOrder(n, got);
        String ports = sw.ofctl("dump-ports");
        assertEquals(n, portStat(ports, 1, 1));
        assertEquals(n, portStat(ports, 2, 3) + portStat(ports, 2, 5));
    }

    /**
     * Every packet once, in order. A packet the switch could not put into the sink's full rx
     * ring (the sink stalled on the loaded machine) is counted by the switch as a tx drop of
     * port b; nothing may be missing beyond what the switch counted.
     */
    private void assertDeliveredOnceInOrder(int n, JsonNode got) throws Exception {
        long dropped = portStat(sw.ofctl("dump-ports"), 2, 5);
        assertEquals(n, got.get("received").asLong() + dropped, got + " with " + dropped + " tx drops on port b");
        assertEquals(dropped, got.get("lost").asLong(), got.toString());
        assertEquals(0, got.get("duplicated").asLong(), got.toString());
        assertEquals(0, got.get("reordered").asLong(), got.toString());
    }

    @Test
    void killedSwitchLeavesTheLinkFlowingAndTheRestartReadoptsIt() throws Exception {
        int n = 100_000;
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "b", "--count", Integer.toString(n), "--idle-timeout", "60s");
        sw.awaitVnfAttached("b");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "a", "--count", Integer.toString(n), "--rate", "4000",
                "--no-drop");
        SwitchHarness.awaitIo("the link DIRECT", 60_000, () -> state().equals("DIRECT"));
        String name = firstLink(sw).get("name").asText();
        SwitchHarness.awaitIo("traffic on the link", 30_000, () -> firstLinkPackets(sw) > 2_000);

        sw.killDaemon();
        // Nobody forwards now: the sink's consumer position on the link ring still moves.
        try (PacketPool pool = PacketPool.attach(sw.regionDir.resolve("shunt-pool-br0"));
             LinkRegion region = LinkRegion.attach(sw.regionDir.resolve(name))) {
            SpscRing ring = region.ring(0, pool);
            long consumed = ring.counters().dequeuedPackets();
            SwitchHarness.await("1,000 packets over the link with vswitchd dead", 30_000,
                    () -> ring.counters().dequeuedPackets() > consumed + 1_000);
        }
        sw.startDaemon();
        JsonNode adopted = firstLink(sw);
        assertEquals(name, adopted.get("name").asText(), adopted.toString());
        assertEquals("DIRECT", adopted.get("state").asText(), adopted.toString());
        assertTrue(adopted.get("last_transition").get("reason").asText().contains("adopted"), adopted.toString());
        // The controller pushes its flows again (they are not persisted): the adopted link carries the path again.
        sw.ofctl("add-flow", "in_port=1,actions=output:2");

        assertEquals(n, SwitchHarness.summary(src, 120).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 120);
        assertDeliveredOnceInOrder(n, got);
        SwitchHarness.awaitIo("the link gone with its source", 30_000, () -> !name.equals(
                firstLink(sw) == null ? "" : firstLink(sw).get("name").asText()));
        String ports = sw.ofctl("dump-ports");
        assertEquals(n, portStat(ports, 1, 1), "rx of a across the restart:\n" + ports);
        assertEquals(n, portStat(ports, 2, 3) + portStat(ports, 2, 5), "tx of b across the restart:\n" + ports);
        assertEquals(got.get("bytes").asLong(), portStat(ports, 2, 4));
        String log = sw.daemonLog();
        assertTrue(log.contains("adopted after restart"), log);
    }

    @Test
    void killingTheSinkWhileDirectRevertsWithTheSwitchTakingOverTheRing() throws Exception {
        int n = 40_000;
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "b", "--count", Integer.toString(n), "--idle-timeout", "60s");
        sw.awaitVnfAttached("b");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "a", "--count", Integer.toString(n), "--rate", "4000",
                "--no-drop");
        SwitchHarness.awaitIo("the link DIRECT", 60_000, () -> state().equals("DIRECT"));
        String name = firstLink(sw).get("name").asText();
        SwitchHarness.awaitIo("traffic on the link", 30_000, () -> firstLinkPackets(sw) > 2_000);

        sink.destroyForcibly();
        sink.waitFor();
        SwitchHarness.awaitIo("the link reverted", 30_000, () -> firstLink(sw) == null || !name.equals(firstLink(sw).get("name").asText()));
        String events = sw.rpc("link-events", SwitchHarness.JSON.createObjectNode()).toString();
        assertTrue(events.contains("the VNF of port b"), events);
        assertTrue(events.contains("revert complete"), events);
        assertTrue(sw.daemonLog().contains("the switch drains the link ring"), sw.daemonLog());

        // The source is never blocked for good: it sends everything, and the switch accounts every packet
        // of it once (through the link before the kill, through the switch after).
        assertEquals(n, SwitchHarness.summary(src, 120).get("sent").asLong());
        SwitchHarness.awaitIo("every packet of a counted", 30_000, () -> portCounter(sw, 1, 1) == n);
        String flows = sw.ofctl("dump-flows");
        Matcher m = Pattern.compile("n_packets=(\\d+)").matcher(flows);
        assertTrue(m.find(), flows);
        assertEquals(n, Long.parseLong(m.group(1)), flows);
    }
}
