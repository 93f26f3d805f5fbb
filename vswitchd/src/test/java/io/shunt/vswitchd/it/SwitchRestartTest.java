package io.shunt.vswitchd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of shunt-vswitchd under traffic, then a restart on the same directories: the
 * configuration and port numbers come back, the VNFs (never restarted) find their rings
 * attached again, and forwarding resumes once the controller (here ovs-ofctl) re-adds the
 * flows, which are not persisted (DESIGN section 7).
 */
@Timeout(180)
class SwitchRestartTest {
    private SwitchHarness sw;

    @BeforeEach
    void start() throws Exception {
        sw = new SwitchHarness();
    }

    @AfterEach
    void stop() throws Exception {
        sw.close();
    }

    @Test
    void killedSwitchComesBackWithItsPortsAndVnfsReattachWithoutRestarting() throws Exception {
        sw.startDaemon();
        sw.setFailMode("secure");
        assertEquals(1, sw.addPort("a"));
        assertEquals(2, sw.addPort("b"));
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        // A configured controller target (here a passive one, as ovs-vsctl set-controller ptcp:/punix: makes).
        String controller = "punix:" + sw.runDir.resolve("controller.sock");
        com.fasterxml.jackson.databind.node.ObjectNode ctl = SwitchHarness.JSON.createObjectNode();
        ctl.put("bridge", "br0");
        ctl.putArray("targets").add(controller);
        sw.rpc("set-controller", ctl);
        assertTrue(sw.ofctlAt("unix:" + sw.runDir.resolve("controller.sock"), "show").contains("1(a)"));
        int n = 24_000;
        Process sink = sw.vnf("sink", "b", "20000", "150000");
        Process src = sw.vnf("source", "a", Integer.toString(n), "020000000001", "020000000002", "2000");
        SwitchHarness.awaitIo("traffic before the crash", 60_000, () -> sw.counters("b").get("tx_packets").asLong() > 2_000);

        sw.killDaemon();
        sw.startDaemon();

        ObjectNode br = SwitchHarness.JSON.createObjectNode();
        br.put("bridge", "br0");
        JsonNode ports = sw.rpc("list-ports", br);
        assertEquals("[\"a\",\"b\"]", ports.toString());
        String desc = sw.ofctl("dump-ports-desc");
        assertTrue(desc.contains(" 1(a):") && desc.contains(" 2(b):"), desc);
        assertFalse(sw.ofctl("dump-flows").contains("in_port"), "flows are not persisted");
        assertTrue(sw.daemonLog().contains("re-attached its region"), "port regions were re-attached");
        assertTrue(src.isAlive() && sink.isAlive(), "the VNFs kept running across the crash");
        assertTrue(sw.ofctlAt("unix:" + sw.runDir.resolve("controller.sock"), "show").contains("2(b)"),
                "the controller target is listening again");

        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        assertEquals(n, SwitchHarness.summary(src, 120).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 150);
        // Packets that were inside the killed switch, or that arrived before the flow was re-added
        // (fail mode secure: table misses drop), are lost; the rest arrive once and in order.
        assertEquals(0, got.get("out_of_order").asLong(), got.toString());
        assertEquals(n - 1, got.get("last_seq").asLong(), "forwarding resumed: " + got);
        assertTrue(got.get("received").asLong() > 2_000, got.toString());
    }
}
