package io.shunt.vswitchd.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
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

    private void addPatch(String bridge, String name, String peer) throws IOException {
        ObjectNode p = SwitchHarness.JSON.createObjectNode();
        p.put("bridge", bridge);
        p.put("port", name);
        p.put("type", "patch");
        p.putObject("options").put("peer", peer);
        assertEquals(2, sw.rpc("add-port", p).get("ofport").asInt());
    }
}
