package io.shunt.vswitchd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * afpacket ports with real kernel traffic: shunt-vswitchd runs in a namespace of its own
 * whose veth ends are its ports; each host namespace holds the other end with an address,
 * and ping, iperf3 and the real ovs-ofctl are what a user would run.
 */
@Timeout(240)
class AfPacketTrafficTest {
    static final String A_IP = "10.77.0.1";
    static final String B_IP = "10.77.0.2";
    static final String C_IP = "10.77.0.3";

    NetnsLab lab;
    SwitchHarness sw;
    String nsA;
    String nsB;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root and iproute2 for network namespaces");
        lab = new NetnsLab();
        nsA = lab.addHost("a", "a0", A_IP + "/24");
        nsB = lab.addHost("b", "b0", B_IP + "/24");
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

    static JsonNode addHostPort(SwitchHarness sw, String bridge, String name, String type, String ifname)
            throws IOException {
        ObjectNode p = SwitchHarness.JSON.createObjectNode();
        p.put("bridge", bridge);
        p.put("port", name);
        p.put("type", type);
        if (ifname != null) {
            p.putObject("options").put("interface", ifname);
        }
        return sw.rpc("add-port", p);
    }

    void ping(String ns, String to, int count) throws Exception {
        NetnsLab.Result r = lab.tryIn(ns, 60, "ping", "-c", String.valueOf(count), "-i", "0.2", "-W", "5", to);
        assertEquals(0, r.exit(), "ping " + to + " from " + ns + ":\n" + r.output());
        assertTrue(r.output().contains(count + " received"), r.output());
    }

    /** An iperf3 TCP run of {@code seconds} from A to B; returns the bytes B received. */
    long iperf(int seconds) throws Exception {
        Path serverOut = sw.stateDir.resolve("iperf-server.txt");
        Process server = lab.background(nsB, serverOut, "iperf3", "-s", "-1", "--forceflush", "-B", B_IP, "-p", "5201");
        try {
            SwitchHarness.await("iperf3 server listening", 20_000, () -> {
                try {
                    return Files.readString(serverOut).contains("Server listening");
                } catch (IOException e) {
                    return false;
                }
            });
            NetnsLab.Result r = lab.tryIn(nsA, 60, "iperf3", "-c", B_IP, "-p", "5201", "-t", String.valueOf(seconds),
                    "-J");
            assertEquals(0, r.exit(), "iperf3 client:\n" + r.output());
            JsonNode json = SwitchHarness.JSON.readTree(r.output());
            long received = json.at("/end/sum_received/bytes").asLong();
            assertTrue(received > 0, "iperf3 moved no data:\n" + r.output());
            return received;
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    static long portStat(String dumpPorts, int port, String dir, String field) {
        return portStat(dumpPorts, String.valueOf(port), dir, field);
    }

    /** A counter of {@code port} (a number, or LOCAL) in ovs-ofctl dump-ports output. */
    static long portStat(String dumpPorts, String port, String dir, String field) {
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

    /**
     * Every frame is accounted for, in both directions: what a namespace's eth0 sent is what
     * shunt received on its port plus what the port's receive ring lost (the kernel's ring
     * drops and oversized frames, counted; on a loaded machine a descheduled PMD can let the
     * ring fill during an iperf3 burst), and what a namespace received is exactly what shunt
     * sent it. With no loss, bytes match exactly too (both count the frame without FCS).
     * Waits, bounded, for the last frames to cross the rings.
     */
    void assertCountersMatch(int portA, int portB) throws Exception {
        long[] v = new long[14];
        String[] dump = new String[1];
        try {
            SwitchHarness.awaitIo("dump-ports to account for the namespaces' counters", 20_000, () -> {
                sample(v, dump);
                return v[0] == v[8] + v[12] && v[2] == v[10] + v[13] && v[4] == v[9] && v[6] == v[11];
            });
        } catch (AssertionError timedOut) {
            // Fall through: the assertions below say which counter disagrees.
        }
        String d = dump[0] + "\ndetail a0: " + sw.counters("a0").get("detail") + "\ndetail b0: "
                + sw.counters("b0").get("detail");
        assertEquals(v[0], v[8] + v[12], "A sent = port " + portA + " rx + its losses\n" + d);
        assertEquals(v[2], v[10] + v[13], "B sent = port " + portB + " rx + its losses\n" + d);
        assertEquals(v[4], v[9], "A received = port " + portA + " tx\n" + d);
        assertEquals(v[6], v[11], "B received = port " + portB + " tx\n" + d);
        assertEquals(v[5], portStat(dump[0], portA, "tx", "bytes"), d);
        assertEquals(v[7], portStat(dump[0], portB, "tx", "bytes"), d);
        if (v[12] == 0) {
            assertEquals(v[1], portStat(dump[0], portA, "rx", "bytes"), d);
        }
        if (v[13] == 0) {
            assertEquals(v[3], portStat(dump[0], portB, "rx", "bytes"), d);
        }
    }

    /** v: 0-7 the namespaces' eth0 counters, 8-11 shunt's rx/tx packets, 12-13 receive losses of a0/b0. */
    private void sample(long[] v, String[] dump) throws IOException {
        try {
            v[0] = lab.counter(nsA, "eth0", "tx_packets");
            v[1] = lab.counter(nsA, "eth0", "tx_bytes");
            v[2] = lab.counter(nsB, "eth0", "tx_packets");
            v[3] = lab.counter(nsB, "eth0", "tx_bytes");
            v[4] = lab.counter(nsA, "eth0", "rx_packets");
            v[5] = lab.counter(nsA, "eth0", "rx_bytes");
            v[6] = lab.counter(nsB, "eth0", "rx_packets");
            v[7] = lab.counter(nsB, "eth0", "rx_bytes");
            String d = sw.ofctl("dump-ports");
            dump[0] = d;
            v[8] = portStat(d, 1, "rx", "pkts");
            v[9] = portStat(d, 1, "tx", "pkts");
            v[10] = portStat(d, 2, "rx", "pkts");
            v[11] = portStat(d, 2, "tx", "pkts");
            v[12] = portStat(d, 1, "rx", "errs") + sw.counters("a0").get("detail").get("rx_kernel_drops").asLong();
            v[13] = portStat(d, 2, "rx", "errs") + sw.counters("b0").get("detail").get("rx_kernel_drops").asLong();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Test
    void pingAndIperfCrossTheSwitchWithNormalAndCountersMatchTheNamespaces() throws Exception {
        assertEquals(1, addHostPort(sw, "br0", "a0", "afpacket", null).get("ofport").asInt());
        assertEquals(2, addHostPort(sw, "br0", "b0", "afpacket", null).get("ofport").asInt());
        sw.setFailMode("secure");
        sw.ofctl("add-flow", "priority=0,actions=NORMAL");
        ping(nsA, B_IP, 3);
        long bytes = iperf(2);
        assertTrue(bytes > 1_000_000, "iperf3 moved " + bytes + " bytes in 2 s");
        assertCountersMatch(1, 2);
    }

    @Test
    void explicitFlowsFromOvsOfctlCarryPingAndIperfAndPortNumbersSurviveARestart() throws Exception {
        assertEquals(1, addHostPort(sw, "br0", "a0", "afpacket", null).get("ofport").asInt());
        assertEquals(2, addHostPort(sw, "br0", "b0", "afpacket", null).get("ofport").asInt());
        sw.restartDaemon();
        String desc = sw.ofctl("dump-ports-desc");
        assertTrue(desc.contains(" 1(a0)") && desc.contains(" 2(b0)"), desc);
        sw.setFailMode("secure");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        sw.ofctl("add-flow", "in_port=2,actions=output:1");
        ping(nsA, B_IP, 3);
        iperf(2);
        assertCountersMatch(1, 2);
        String flows = sw.ofctl("dump-flows");
        String ports = sw.ofctl("dump-ports");
        // Every frame a port received went through its one flow.
        assertEquals(portStat(ports, 1, "rx", "pkts"), flowPackets(flows, "in_port=1"), flows + ports);
        assertEquals(portStat(ports, 2, "rx", "pkts"), flowPackets(flows, "in_port=2"), flows + ports);
    }

    static long flowPackets(String dumpFlows, String match) {
        for (String line : dumpFlows.split("\n")) {
            if (line.contains(match + " ")) {
                Matcher m = Pattern.compile("n_packets=(\\d+)").matcher(line);
                assertTrue(m.find(), line);
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no flow with " + match + " in\n" + dumpFlows);
    }

    /**
     * Tagged frames on a wire: a veth pair t0-t1 inside the switch namespace, both ends ports.
     * A's frames get VLAN 100 pushed on the way to t0, and the kernel hands them to t1's
     * socket with the tag taken out (it untags every received frame); the port puts it back,
     * so dl_vlan=100 matches and is popped towards B. The other way uses VLAN 200.
     */
    @Test
    void vlanTaggedTrafficWithPushAndPopFlows() throws Exception {
        lab.in(lab.switchNs, "ip", "link", "add", "t0", "type", "veth", "peer", "name", "t1");
        lab.in(lab.switchNs, "ip", "link", "set", "t0", "up");
        lab.in(lab.switchNs, "ip", "link", "set", "t1", "up");
        for (String p : List.of("a0", "b0", "t0", "t1")) {
            addHostPort(sw, "br0", p, "afpacket", null);
        }
        sw.setFailMode("secure");
        sw.ofctl("add-flow", "in_port=1,actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:3");
        sw.ofctl("add-flow", "in_port=4,dl_vlan=100,actions=pop_vlan,output:2");
        sw.ofctl("add-flow", "in_port=2,actions=push_vlan:0x8100,set_field:4296->vlan_vid,output:4");
        sw.ofctl("add-flow", "in_port=3,dl_vlan=200,actions=pop_vlan,output:1");
        ping(nsA, B_IP, 3);
        String flows = sw.ofctl("dump-flows");
        long toB = flowPackets(flows, "in_port=4,dl_vlan=100");
        long toA = flowPackets(flows, "in_port=3,dl_vlan=200");
        // 3 echo requests and at least one ARP each way; the tagged flows saw exactly what was pushed.
        assertTrue(toB >= 4 && toA >= 4, flows);
        assertEquals(flowPackets(flows, "in_port=1"), toB, flows);
        assertEquals(flowPackets(flows, "in_port=2"), toA, flows);
        // Their bytes carry the 4-byte tag the kernel had taken out of the frame.
        Matcher tagged = Pattern.compile("n_packets=(\\d+), n_bytes=(\\d+), in_port=4,dl_vlan=100").matcher(flows);
        Matcher plain = Pattern.compile("n_packets=(\\d+), n_bytes=(\\d+), in_port=1 ").matcher(flows);
        assertTrue(tagged.find() && plain.find(), flows);
        assertEquals(Long.parseLong(plain.group(2)) + 4 * toB, Long.parseLong(tagged.group(2)), flows);
    }

    @Test
    void aVethDeletedUnderTrafficGoesDownWithPortStatusAndTheOthersKeepForwarding() throws Exception {
        String nsC = lab.addHost("c", "c0", C_IP + "/24");
        addHostPort(sw, "br0", "a0", "afpacket", null);
        addHostPort(sw, "br0", "b0", "afpacket", null);
        assertEquals(3, addHostPort(sw, "br0", "c0", "afpacket", null).get("ofport").asInt());
        sw.setFailMode("secure");
        sw.ofctl("add-flow", "actions=NORMAL");
        Path monitorOut = sw.stateDir.resolve("monitor.txt");
        sw.background(List.of("stdbuf", "-oL", "ovs-ofctl", "-O", "OpenFlow13",
                "--unixctl=" + sw.runDir.resolve("ofctl-monitor.ctl"), "monitor",
                "unix:" + sw.runDir.resolve("br0.mgmt")), monitorOut);
        SwitchHarness.awaitIo("the monitor's connection", 30_000, () -> sw.rpc("connections",
                SwitchHarness.JSON.createObjectNode()).get(0).get("openflow_connections").asInt() == 1);
        ping(nsA, C_IP, 2);
        Process traffic = lab.background(nsA, sw.stateDir.resolve("ping-c.txt"), "ping", "-i", "0.02", C_IP);
        try {
            long before = portStat(sw.ofctl("dump-ports"), 3, "tx", "pkts");
            SwitchHarness.awaitIo("traffic towards c0", 10_000,
                    () -> portStatIo(sw, 3, "tx") > before + 10);
            lab.in(nsC, "ip", "link", "del", "eth0");
            SwitchHarness.await("PORT_STATUS of c0 going down", 10_000, () -> {
                String t = read(monitorOut);
                return t.contains("OFPT_PORT_STATUS") && t.contains("MOD: 3(c0)") && t.contains("LINK_DOWN");
            });
            ping(nsA, B_IP, 3);
            ping(nsB, A_IP, 3);
        } finally {
            traffic.destroyForcibly();
            traffic.waitFor();
        }
        String desc = sw.ofctl("dump-ports-desc");
        Matcher c = Pattern.compile("3\\(c0\\).*?state:\\s+(\\S+)", Pattern.DOTALL).matcher(desc);
        assertTrue(c.find() && c.group(1).equals("LINK_DOWN"), desc);
        Matcher a = Pattern.compile("1\\(a0\\).*?state:\\s+(\\S+)", Pattern.DOTALL).matcher(desc);
        assertTrue(a.find() && a.group(1).equals("LIVE"), desc);
        // One PORT_STATUS: for c0 only.
        assertEquals(1, read(monitorOut).lines().filter(l -> l.contains("OFPT_PORT_STATUS")).count(), read(monitorOut));
    }

    static long portStatIo(SwitchHarness sw, int port, String dir) throws IOException {
        try {
            return portStat(sw.ofctl("dump-ports"), port, dir, "pkts");
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void addPortOfAnInterfaceThatDoesNotExistIsRefusedWithAClearError() throws Exception {
        IOException e = assertThrows(IOException.class, () -> addHostPort(sw, "br0", "p1", "afpacket", "nosuch0"));
        assertTrue(e.getMessage().contains("no network interface named nosuch0"), e.getMessage());
        assertFalse(sw.rpc("show", SwitchHarness.JSON.createObjectNode()).toString().contains("\"p1\""));
        // The bridge is undisturbed: a good port after the bad one gets number 1 and works.
        assertEquals(1, addHostPort(sw, "br0", "a0", "afpacket", null).get("ofport").asInt());
    }

    /**
     * Frames longer than a pool buffer are dropped on receive (rx errs), frames longer than
     * the output interface's MTU on transmit (tx drop); both counted, and normal frames
     * still pass.
     */
    @Test
    void oversizedFramesAreDroppedAndCounted() throws Exception {
        lab.in(nsA, "ip", "link", "set", "eth0", "mtu", "3000");
        lab.in(lab.switchNs, "ip", "link", "set", "a0", "mtu", "3000");
        addHostPort(sw, "br0", "a0", "afpacket", null);
        addHostPort(sw, "br0", "b0", "afpacket", null);
        sw.setFailMode("secure");
        sw.ofctl("add-flow", "actions=NORMAL");
        ping(nsA, B_IP, 1);
        // 1600 bytes of ICMP: a 1642-byte frame, fits a buffer, exceeds b0's 1500-byte MTU.
        NetnsLab.Result mid = lab.tryIn(nsA, 30, "ping", "-c", "2", "-i", "0.2", "-W", "1", "-M", "do", "-s", "1600",
                B_IP);
        assertTrue(mid.output().contains("0 received"), mid.output());
        // 2500 bytes: a 2542-byte frame, longer than a pool buffer's 2048-byte data room.
        NetnsLab.Result big = lab.tryIn(nsA, 30, "ping", "-c", "2", "-i", "0.2", "-W", "1", "-M", "do", "-s", "2500",
                B_IP);
        assertTrue(big.output().contains("0 received"), big.output());
        SwitchHarness.awaitIo("the drops counted", 10_000, () -> {
            String d = dumpPorts();
            return portStat(d, 2, "tx", "drop") == 2 && portStat(d, 1, "rx", "errs") == 2;
        });
        ping(nsA, B_IP, 2);
        String d = dumpPorts();
        assertEquals(2, portStat(d, 2, "tx", "drop"), d);
        assertEquals(2, portStat(d, 1, "rx", "errs"), d);
        // The management counters say why.
        assertEquals(2, sw.counters("a0").get("detail").get("rx_oversize").asLong());
        assertEquals(2, sw.counters("b0").get("detail").get("tx_oversize").asLong());
        assertEquals(0, sw.counters("a0").get("detail").get("rx_malformed").asLong());
    }

    String dumpPorts() throws IOException {
        try {
            return sw.ofctl("dump-ports");
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
