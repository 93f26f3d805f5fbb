package io.shunt.vswitchd.it;

import static io.shunt.vswitchd.it.LinkProbe.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller goes away while a direct link is up (real vswitchd, compute agent, test-vms
 * and Open vSwitch's ovs-testcontroller, killed with -9): as in OVS, the flow tables stay in
 * both fail modes (standalone only changes how misses are handled), so the path still holds
 * and the link stays as it is: same generation, no transition, traffic on the link goes on,
 * and the sink receives every packet once and in order with counters equal to the VNFs'.
 */
@Timeout(240)
class DirectLinkControllerTest {
    private SwitchHarness sw;
    private Process controller;

    @AfterEach
    void stop() throws Exception {
        if (controller != null) {
            controller.destroyForcibly();
            controller.waitFor(10, TimeUnit.SECONDS);
        }
        if (sw != null) {
            sw.close();
        }
    }

    private int controllers() throws IOException {
        return sw.rpc("connections", SwitchHarness.JSON.createObjectNode()).get(0).get("openflow_connections").asInt();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"secure", "standalone"})
    void losingTheControllerLeavesTheLinkAsItIs(String failMode) throws Exception {
        sw = new SwitchHarness();
        sw.startAgent();
        sw.startDaemon();
        sw.setFailMode(failMode);
        assertEquals(1, sw.addPort("a"));
        assertEquals(2, sw.addPort("b"));
        int port = freePort();
        // --noflow: the controller adds no flow of its own; the path's entry is the test's.
        // OVS_RUNDIR: its control socket in our temp directory, not /var/run/openvswitch.
        controller = new ProcessBuilder("env", "OVS_RUNDIR=" + sw.runDir, "ovs-testcontroller", "--noflow",
                "ptcp:" + port + ":127.0.0.1")
                .redirectErrorStream(true).redirectOutput(sw.stateDir.resolve("testcontroller.txt").toFile()).start();
        ObjectNode p = SwitchHarness.JSON.createObjectNode().put("bridge", "br0");
        p.putArray("targets").add("tcp:127.0.0.1:" + port);
        sw.rpc("set-controller", p);
        SwitchHarness.awaitIo("the controller connected", 60_000, () -> controllers() >= 1);

        int n = 60_000;
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "b", "--count", Integer.toString(n), "--idle-timeout", "60s");
        sw.awaitVnfAttached("b");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "a", "--count", Integer.toString(n), "--rate", "4000",
                "--no-drop");
        SwitchHarness.awaitIo("the link DIRECT", 60_000, () -> firstLink(sw) != null && firstLink(sw).get("state").asText().equals("DIRECT"));
        String name = firstLink(sw).get("name").asText();
        SwitchHarness.awaitIo("traffic on the link", 30_000, () -> firstLinkPackets(sw) > 2_000);

        controller.destroyForcibly();
        assertTrue(controller.waitFor(10, TimeUnit.SECONDS));
        SwitchHarness.awaitIo("the switch noticed the controller gone", 60_000, () -> controllers() == 0);
        long before = firstLinkPackets(sw);
        SwitchHarness.awaitIo("traffic on the link without a controller", 30_000, () -> firstLinkPackets(sw) > before + 2_000);
        JsonNode l = firstLink(sw);
        assertEquals(name, l.get("name").asText(), l.toString());
        assertEquals("DIRECT", l.get("state").asText(), l.toString());
        assertEquals(List.of("NORMAL->PLUGGING", "PLUGGING->TX_SWITCHED", "TX_SWITCHED->FENCED", "FENCED->DIRECT"),
                transitions(sw, name, false));
        assertTrue(sw.ofctl("dump-flows").contains("in_port=1"), "the flow stays without a controller");

        assertEquals(n, SwitchHarness.summary(src, 120).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 120);
        String ports = sw.ofctl("dump-ports");
        long dropped = portStat(ports, 2, 5);
        assertEquals(n, got.get("received").asLong() + dropped, got + " with " + dropped + " tx drops on port b");
        assertEquals(dropped, got.get("lost").asLong(), got.toString());
        assertEquals(0, got.get("duplicated").asLong(), got.toString());
        assertEquals(0, got.get("reordered").asLong(), got.toString());
        assertEquals(n, portStat(ports, 1, 1), ports);
        assertEquals(n, portStat(ports, 2, 3) + dropped, ports);
    }
}
