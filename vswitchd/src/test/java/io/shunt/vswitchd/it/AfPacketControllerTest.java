package io.shunt.vswitchd.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real controller in charge of afpacket ports: the os-ken learning switch that the
 * OpenFlow-agent tests use, and Open vSwitch's ovs-testcontroller. Fail mode secure, no
 * flow but the controller's: pings between the namespaces succeed only through PACKET_IN,
 * PACKET_OUT and the flows the controller installs. The controller runs in the switch's
 * namespace (a fresh one, so its fixed port cannot collide with anything).
 */
@Timeout(180)
class AfPacketControllerTest {
    private static final int CONTROLLER_PORT = 6653;
    private static final Path OSKEN_APP = Path.of("../ofproto/src/test/resources/osken/learning_switch_13.py");

    private NetnsLab lab;
    private SwitchHarness sw;
    private String nsA;
    private String nsB;
    private Process controller;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root and iproute2 for network namespaces");
        lab = new NetnsLab();
        nsA = lab.addHost("a", "a0", AfPacketTrafficTest.A_IP + "/24");
        nsB = lab.addHost("b", "b0", AfPacketTrafficTest.B_IP + "/24");
        sw = new SwitchHarness().inNetns(lab.switchNs);
        sw.startDaemon();
        AfPacketTrafficTest.addHostPort(sw, "br0", "a0", "afpacket", null);
        AfPacketTrafficTest.addHostPort(sw, "br0", "b0", "afpacket", null);
        sw.setFailMode("secure");
    }

    @AfterEach
    void stop() throws Exception {
        if (controller != null) {
            controller.destroy();
            controller.waitFor();
        }
        if (sw != null) {
            sw.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private void connectController() throws Exception {
        var p = SwitchHarness.JSON.createObjectNode();
        p.put("bridge", "br0");
        p.putArray("targets").add("tcp:127.0.0.1:" + CONTROLLER_PORT);
        sw.rpc("set-controller", p);
        SwitchHarness.awaitIo("the controller connected", 30_000, () -> sw.rpc("connections",
                SwitchHarness.JSON.createObjectNode()).get(0).get("openflow_connections").asInt() >= 1);
    }

    private void pingBothWays() throws Exception {
        // The first echo may wait for the controller's flows; ping waits up to 5 s per reply.
        NetnsLab.Result ab = lab.tryIn(nsA, 60, "ping", "-c", "3", "-i", "0.3", "-W", "5", AfPacketTrafficTest.B_IP);
        assertTrue(ab.output().contains("3 received"), ab.output());
        NetnsLab.Result ba = lab.tryIn(nsB, 60, "ping", "-c", "3", "-i", "0.3", "-W", "5", AfPacketTrafficTest.A_IP);
        assertTrue(ba.output().contains("3 received"), ba.output());
    }

    @Test
    void osKenLearningSwitchCarriesPingsThroughPacketInAndItsFlows() throws Exception {
        Path events = sw.stateDir.resolve("osken-events.log");
        List<String> argv = List.of("ip", "netns", "exec", lab.switchNs, "env", "SHUNT_OSKEN_EVENTS=" + events,
                "/usr/bin/python3", "/usr/bin/osken-manager", OSKEN_APP.toAbsolutePath().normalize().toString(),
                "--ofp-tcp-listen-port", String.valueOf(CONTROLLER_PORT), "--ofp-listen-host", "127.0.0.1");
        controller = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(sw.stateDir.resolve("osken.txt").toFile()).start();
        SwitchHarness.await("os-ken listening", 30_000, () -> listening());
        connectController();
        SwitchHarness.await("os-ken's table-miss entry", 30_000, () -> AfPacketTrafficTest.read(events)
                .contains("barrier_reply"));
        pingBothWays();
        String log = AfPacketTrafficTest.read(events);
        assertTrue(log.contains("packet_in in_port=1") && log.contains("packet_in in_port=2"), log);
        String flows = sw.ofctl("dump-flows");
        // The learned flows (priority 1, in_port + eth_dst) carried the later pings.
        assertTrue(flows.lines().anyMatch(l -> l.contains("priority=1,in_port=1") && !l.contains("n_packets=0")), flows);
        assertTrue(flows.lines().anyMatch(l -> l.contains("priority=1,in_port=2") && !l.contains("n_packets=0")), flows);
    }

    @Test
    void ovsTestcontrollerCarriesPingsThroughTheFlowsItInstalls() throws Exception {
        List<String> argv = List.of("ip", "netns", "exec", lab.switchNs, "env", "OVS_RUNDIR=" + sw.runDir,
                "ovs-testcontroller", "ptcp:" + CONTROLLER_PORT + ":127.0.0.1");
        controller = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(sw.stateDir.resolve("testcontroller.txt").toFile()).start();
        SwitchHarness.await("ovs-testcontroller listening", 30_000, () -> listening());
        connectController();
        pingBothWays();
        String flows = sw.ofctl("dump-flows");
        // Its exact-match flows (idle_timeout=60) carried the pings.
        assertTrue(flows.lines().anyMatch(l -> l.contains("idle_timeout=60") && l.contains("icmp")
                && !l.contains("n_packets=0")), flows);
    }

    private boolean listening() {
        try {
            NetnsLab.Result r = lab.tryIn(lab.switchNs, 10, "ss", "-ltnH", "sport = :" + CONTROLLER_PORT);
            return r.exit() == 0 && r.output().contains(":" + CONTROLLER_PORT);
        } catch (Exception e) {
            return false;
        }
    }
}
