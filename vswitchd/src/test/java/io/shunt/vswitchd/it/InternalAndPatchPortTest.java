package io.shunt.vswitchd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.projectfloodlight.openflow.types.OFPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The two other host port types with real traffic: an {@code internal} port (a TAP device
 * the switch creates in its namespace, carrying an address of the host stack) answering a
 * namespace's ping, and a {@code patch} pair joining two bridges of one vswitchd.
 */
@Timeout(180)
class InternalAndPatchPortTest {
    private static final String LOCAL_IP = "10.77.0.10";
    /** The host stack's address on br0's LOCAL port (the internal port named br0). */
    private static final String BRIDGE_IP = "10.77.0.11";

    private NetnsLab lab;
    private SwitchHarness sw;
    private String nsA;
    private String nsB;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root and iproute2 for network namespaces");
        lab = new NetnsLab();
        nsA = lab.addHost("a", "a0", AfPacketTrafficTest.A_IP + "/24");
        nsB = lab.addHost("b", "b0", AfPacketTrafficTest.B_IP + "/24");
        sw = new SwitchHarness().inNetns(lab.switchNs);
        sw.startDaemon();
    }

    @AfterEach
    void stop() throws Exception {
        if (sw != null) {
            sw.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private void ping(String ns, String to, int count) throws Exception {
        NetnsLab.Result r = lab.tryIn(ns, 60, "ping", "-c", String.valueOf(count), "-i", "0.2", "-W", "5", to);
        assertTrue(r.output().contains(count + " received"), "ping " + to + " from " + ns + ":\n" + r.output());
    }

    @Test
    void anAddressOnTheInternalPortAnswersPingFromANamespace() throws Exception {
        // First: a fail-mode change restarts the bridge, which re-creates its TAP devices without addresses.
        sw.setFailMode("secure");
        sw.ofctl("add-flow", "actions=NORMAL");
        AfPacketTrafficTest.addHostPort(sw, "br0", "a0", "afpacket", null);
        assertEquals(2, AfPacketTrafficTest.addHostPort(sw, "br0", "int0", "internal", null).get("ofport").asInt());
        // The switch created the TAP in its own namespace: the host stack there owns the address.
        lab.in(lab.switchNs, "ip", "addr", "add", LOCAL_IP + "/24", "dev", "int0");
        lab.in(lab.switchNs, "ip", "link", "set", "int0", "up");
        SwitchHarness.awaitIo("int0 reported up", 10_000, () -> {
            try {
                return sw.ofctl("dump-ports-desc").matches("(?s).*2\\(int0\\).*?state:\\s+LIVE.*");
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        ping(nsA, LOCAL_IP, 3);
        String ports = sw.ofctl("dump-ports");
        // Echo requests and ARP went out on the TAP; the replies came back in through it.
        assertTrue(AfPacketTrafficTest.portStat(ports, 2, "tx", "pkts") >= 4, ports);
        assertTrue(AfPacketTrafficTest.portStat(ports, 2, "rx", "pkts") >= 4, ports);
        // The device is the port's: a second internal port of the same name is refused.
        IOException e = assertThrows(IOException.class,
                () -> AfPacketTrafficTest.addHostPort(sw, "br0", "a0x", "afpacket", "int1"));
        assertTrue(e.getMessage().contains("no network interface named int1"), e.getMessage());
    }

    @Test
    void twoBridgesJoinedByAPatchPairCarryAPing() throws Exception {
        ObjectNode br = SwitchHarness.JSON.createObjectNode();
        br.put("bridge", "br1");
        sw.rpc("add-br", br);
        AfPacketTrafficTest.addHostPort(sw, "br0", "a0", "afpacket", null);
        AfPacketTrafficTest.addHostPort(sw, "br1", "b0", "afpacket", null);
        IOException noPeer = assertThrows(IOException.class,
                () -> AfPacketTrafficTest.addHostPort(sw, "br0", "pa", "patch", null));
        assertTrue(noPeer.getMessage().contains("needs options peer="), noPeer.getMessage());
        addPatch("br0", "pa", "pb");
        addPatch("br1", "pb", "pa");
        String br1 = "unix:" + sw.runDir.resolve("br1.mgmt");
        sw.setFailMode("secure");
        sw.ofctl("add-flow", "actions=NORMAL");
        ObjectNode fm = SwitchHarness.JSON.createObjectNode();
        fm.put("bridge", "br1");
        fm.put("mode", "secure");
        sw.rpc("set-fail-mode", fm);
        SwitchHarness.awaitIo("br1 back after its fail-mode restart", 20_000, () -> {
            try {
                sw.ofctlAt(br1, "add-flow", "actions=NORMAL");
                return true;
            } catch (Exception | AssertionError e) {
                return false;
            }
        });
        SwitchHarness.awaitIo("both patch ends live", 10_000, () -> {
            try {
                return sw.ofctl("dump-ports-desc").matches("(?s).*\\(pa\\).*?state:\\s+LIVE.*")
                        && sw.ofctlAt(br1, "dump-ports-desc").matches("(?s).*\\(pb\\).*?state:\\s+LIVE.*");
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        ping(nsA, AfPacketTrafficTest.B_IP, 3);
        ping(nsB, AfPacketTrafficTest.A_IP, 3);
        // What left br0 on pa entered br1 on pb, and back.
        String p0 = sw.ofctl("dump-ports");
        String p1 = sw.ofctlAt(br1, "dump-ports");
        assertEquals(AfPacketTrafficTest.portStat(p0, 2, "tx", "pkts"), AfPacketTrafficTest.portStat(p1, 2, "rx", "pkts"),
                p0 + p1);
        assertEquals(AfPacketTrafficTest.portStat(p1, 2, "tx", "pkts"), AfPacketTrafficTest.portStat(p0, 2, "rx", "pkts"),
                p0 + p1);
        assertTrue(AfPacketTrafficTest.portStat(p0, 2, "tx", "pkts") >= 4, p0);
        // Deleting one end takes the other's link down.
        ObjectNode del = SwitchHarness.JSON.createObjectNode();
        del.put("bridge", "br1");
        del.put("port", "pb");
        sw.rpc("del-port", del);
        SwitchHarness.awaitIo("pa down once pb is gone", 10_000, () -> {
            try {
                Matcher m = Pattern.compile("\\(pa\\).*?state:\\s+(\\S+)", Pattern.DOTALL).matcher(sw.ofctl("dump-ports-desc"));
                return m.find() && m.group(1).equals("LINK_DOWN");
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
    }

    @Test
    void theInternalPortNamedLikeTheBridgeIsItsLocalPort() throws Exception {
        sw.setFailMode("secure");
        AfPacketTrafficTest.addHostPort(sw, "br0", "a0", "afpacket", null);
        IOException notInternal = assertThrows(IOException.class,
                () -> AfPacketTrafficTest.addHostPort(sw, "br0", "br0", "dpdkr", null));
        assertTrue(notInternal.getMessage().contains("port br0: a port named like its bridge is the bridge's LOCAL"
                + " port and must be type=internal, not dpdkr"), notInternal.getMessage());
        assertEquals(OFPort.LOCAL.getPortNumber(),
                AfPacketTrafficTest.addHostPort(sw, "br0", "br0", "internal", null).get("ofport").asInt());
        // LOCAL takes no ordinary number: the next port is 2.
        assertEquals(2, AfPacketTrafficTest.addHostPort(sw, "br0", "int0", "internal", null).get("ofport").asInt());
        // The numbers come back from the stored configuration.
        sw.restartDaemon();
        String show = sw.ofctl("show");
        assertTrue(show.contains(" LOCAL(br0): addr:") && show.contains(" 1(a0): addr:") && show.contains(" 2(int0): addr:"),
                show);

        Path monitorOut = sw.stateDir.resolve("monitor-local.txt");
        sw.background(List.of("stdbuf", "-oL", "ovs-ofctl", "-O", "OpenFlow13",
                "--unixctl=" + sw.runDir.resolve("ofctl-monitor-local.ctl"), "monitor",
                "unix:" + sw.runDir.resolve("br0.mgmt")), monitorOut);
        SwitchHarness.awaitIo("the monitor's connection", 30_000, () -> sw.rpc("connections",
                SwitchHarness.JSON.createObjectNode()).get(0).get("openflow_connections").asInt() == 1);

        sw.ofctl("add-flow", "in_port=1,actions=output:LOCAL");
        sw.ofctl("add-flow", "in_port=LOCAL,actions=output:1");
        lab.in(lab.switchNs, "ip", "addr", "add", BRIDGE_IP + "/24", "dev", "br0");
        lab.in(lab.switchNs, "ip", "link", "set", "br0", "up");
        SwitchHarness.awaitIo("br0 reported up", 10_000, () -> {
            try {
                return sw.ofctl("dump-ports-desc").matches("(?s).*LOCAL\\(br0\\).*?state:\\s+LIVE.*");
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        ping(nsA, BRIDGE_IP, 5);
        String ports = sw.ofctl("dump-ports", "LOCAL");
        // The echo requests (and ARP) went out on LOCAL; what the host stack sent into the TAP came in on it.
        assertTrue(AfPacketTrafficTest.portStat(ports, "LOCAL", "tx", "pkts") >= 5, ports);
        assertTrue(AfPacketTrafficTest.portStat(ports, "LOCAL", "rx", "pkts") >= 5, ports);
        String flows = sw.ofctl("dump-flows");
        Matcher fromLocal = Pattern.compile("n_packets=(\\d+).*in_port=LOCAL actions=output:1").matcher(flows);
        assertTrue(fromLocal.find() && Long.parseLong(fromLocal.group(1)) >= 5, flows);

        ObjectNode del = SwitchHarness.JSON.createObjectNode();
        del.put("bridge", "br0");
        del.put("port", "br0");
        sw.rpc("del-port", del);
        SwitchHarness.await("PORT_STATUS DELETE of LOCAL", 10_000, () -> {
            try {
                return Files.readString(monitorOut).contains("DEL: LOCAL(br0)");
            } catch (IOException e) {
                return false;
            }
        });
        assertTrue(!sw.ofctl("show").contains("LOCAL(br0)"), sw.ofctl("show"));
        // Nothing at LOCAL any more: output:LOCAL is a counted drop, in_port=1's frames still match.
        long dropsBefore = noPortDrops();
        NetnsLab.Result lost = lab.tryIn(nsA, 30, "ping", "-c", "3", "-i", "0.2", "-W", "1", BRIDGE_IP);
        assertTrue(lost.output().contains(" 0 received"), lost.output());
        SwitchHarness.awaitIo("output:LOCAL counted as no_port", 10_000, () -> noPortDrops() >= dropsBefore + 3);

        // Added again: the same number, announced.
        assertEquals(OFPort.LOCAL.getPortNumber(),
                AfPacketTrafficTest.addHostPort(sw, "br0", "br0", "internal", null).get("ofport").asInt());
        SwitchHarness.await("PORT_STATUS ADD of LOCAL", 10_000, () -> {
            try {
                return Files.readString(monitorOut).contains("ADD: LOCAL(br0)");
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void inStandaloneModeNormalSwitchesBetweenTheLocalPortAndANamespace() throws Exception {
        // No flows, no controller: fail mode standalone forwards every table-0 miss as NORMAL.
        AfPacketTrafficTest.addHostPort(sw, "br0", "a0", "afpacket", null);
        AfPacketTrafficTest.addHostPort(sw, "br0", "br0", "internal", null);
        lab.in(lab.switchNs, "ip", "addr", "add", BRIDGE_IP + "/24", "dev", "br0");
        lab.in(lab.switchNs, "ip", "link", "set", "br0", "up");
        ping(nsA, BRIDGE_IP, 3);
        NetnsLab.Result back = lab.tryIn(lab.switchNs, 60, "ping", "-c", "3", "-i", "0.2", "-W", "5",
                AfPacketTrafficTest.A_IP);
        assertTrue(back.output().contains("3 received"), "ping from the switch's host stack:\n" + back.output());
        String ports = sw.ofctl("dump-ports", "LOCAL");
        assertTrue(AfPacketTrafficTest.portStat(ports, "LOCAL", "rx", "pkts") >= 6, ports);
        assertTrue(AfPacketTrafficTest.portStat(ports, "LOCAL", "tx", "pkts") >= 6, ports);
    }

    /** OFPP_LOCAL outputs without a LOCAL port, and other drops for want of a port, over every PMD of br0. */
    private long noPortDrops() throws IOException {
        long sum = 0;
        for (JsonNode pmd : sw.rpc("pmd-stats", SwitchHarness.JSON.createObjectNode())) {
            if (pmd.get("bridge").asText().equals("br0")) {
                sum += pmd.get("drops").get("no_port").asLong();
            }
        }
        return sum;
    }

    private void addPatch(String bridge, String name, String peer) throws IOException {
        ObjectNode p = SwitchHarness.JSON.createObjectNode();
        p.put("bridge", bridge);
        p.put("port", name);
        p.put("type", "patch");
        p.putObject("options").put("peer", peer);
        assertEquals(2, sw.rpc("add-port", p).get("ofport").asInt());
    }
}
