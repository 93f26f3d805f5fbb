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
        Process server = lab.background(nsB, serverOut, "iperf3", "-s", "-1", "-B", B_IP, "-p", "5201");
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
     * What the namespaces' eth0 sent is what shunt received on their ports, and what shunt
     * sent is what they received: packets and bytes, exactly (both count the Ethernet frame
     * without FCS). Waits, bounded, for the last frames to cross the rings.
     */
    void assertCountersMatch(int portA, int portB) throws Exception {
        String[] dump = new String[1];
        long[] expected = new long[8];
        SwitchHarness.awaitIo("dump-ports to match the namespaces' counters", 20_000, () -> {
            try {
                expected[0] = lab.counter(nsA, "eth0", "tx_packets");
                expected[1] = lab.counter(nsA, "eth0", "tx_bytes");
                expected[2] = lab.counter(nsB, "eth0", "tx_packets");
                expected[3] = lab.counter(nsB, "eth0", "tx_bytes");
                expected[4] = lab.counter(nsA, "eth0", "rx_packets");
                expected[5] = lab.counter(nsA, "eth0", "rx_bytes");
                expected[6] = lab.counter(nsB, "eth0", "rx_packets");
                expected[7] = lab.counter(nsB, "eth0", "rx_bytes");
                dump[0] = sw.ofctl("dump-ports");
            } catch (Exception e) {
                throw new IOException(e);
            }
            String d = dump[0];
            return portStat(d, portA, "rx", "pkts") == expected[0] && portStat(d, portB, "rx", "pkts") == expected[2]
                    && portStat(d, portA, "tx", "pkts") == expected[4] && portStat(d, portB, "tx", "pkts") == expected[6];
        });
        String d = dump[0];
        assertEquals(expected[0], portStat(d, portA, "rx", "pkts"), d);
        assertEquals(expected[1], portStat(d, portA, "rx", "bytes"), d);
        assertEquals(expected[2], portStat(d, portB, "rx", "pkts"), d);
        assertEquals(expected[3], portStat(d, portB, "rx", "bytes"), d);
        assertEquals(expected[4], portStat(d, portA, "tx", "pkts"), d);
        assertEquals(expected[5], portStat(d, portA, "tx", "bytes"), d);
        assertEquals(expected[6], portStat(d, portB, "tx", "pkts"), d);
        assertEquals(expected[7], portStat(d, portB, "tx", "bytes"), d);
        assertEquals(0, portStat(d, portA, "rx", "errs"), d);
        assertEquals(0, portStat(d, portB, "rx", "errs"), d);
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
}
