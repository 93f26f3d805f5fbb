package io.shunt.vswitchd.it;

import static io.shunt.vswitchd.it.LinkProbe.*;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A VNF killed (kill -9) in the middle of a link's establish or revert, with real processes
 * (vswitchd, compute agent, test-vms): the link ends in a defined state shown by {@code links}
 * and {@code link-events}, another link's traffic on the same bridge is not disturbed, and
 * every packet the dead VNF's path lost is counted by the switch (dump-ports) against what the
 * VNFs counted.
 *
 * <p>To hold a link in a step deterministically, a VNF is stopped with SIGSTOP (a stalled VNF,
 * which the protocol waits for) before it is killed; the step timeout is raised to 120 s
 * ({@code --link-step-timeout}) so the link manager's own timeout never races the kill on a
 * loaded machine.
 */
@Timeout(300)
class DirectLinkFailureTest {
    private SwitchHarness sw;

    @BeforeEach
    void start() throws Exception {
        sw = new SwitchHarness();
        sw.startAgent();
        sw.daemonOptions.addAll(List.of("--link-step-timeout", "120000"));
        sw.startDaemon();
        sw.setFailMode("secure");
        assertEquals(1, sw.addPort("a"));
        assertEquals(2, sw.addPort("b"));
        assertEquals(3, sw.addPort("c"));
        assertEquals(4, sw.addPort("d"));
    }

    @AfterEach
    void stop() throws Exception {
        sw.close();
    }

    /** The row of {@code links} for the path starting at {@code fromOfport}, or null. */
    private JsonNode linkFrom(int fromOfport) throws IOException {
        for (JsonNode l : sw.rpc("links", SwitchHarness.JSON.createObjectNode()).get("links")) {
            if (l.get("directions").get(0).get("from_ofport").asInt() == fromOfport) {
                return l;
            }
        }
        return null;
    }

    private String stateFrom(int fromOfport) throws IOException {
        JsonNode l = linkFrom(fromOfport);
        return l == null ? "absent" : l.get("state").asText();
    }

    private static void signal(Process p, String sig) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
        assertTrue(k.waitFor(10, TimeUnit.SECONDS) && k.exitValue() == 0, "kill -" + sig + " " + p.pid());
    }

    private static void kill9(Process p) throws Exception {
        p.destroyForcibly();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the killed VNF did not exit");
    }

    /** The undisturbed neighbour: c ⇒ d at 4,000 packets/s over its own link. */
    private final class Neighbour {
        final int n;
        final Process sink;
        final Process src;
        String link;

        Neighbour(int n) throws Exception {
            this.n = n;
            sink = sw.testVm("io.shunt.vnf.Sink", "--port", "d", "--count", Integer.toString(n), "--idle-timeout", "60s");
            sw.awaitVnfAttached("d");
            sw.ofctl("add-flow", "in_port=3,actions=output:4");
            src = sw.testVm("io.shunt.vnf.Source", "--port", "c", "--count", Integer.toString(n), "--rate", "4000",
                    "--no-drop", "--src-port", "2000");
            SwitchHarness.awaitIo("the neighbour link DIRECT", 60_000, () -> stateFrom(3).equals("DIRECT"));
            link = linkFrom(3).get("name").asText();
        }

        /** Every packet once and in order, port counters equal to the VNFs', one link generation throughout. */
        void assertUndisturbed() throws Exception {
            assertEquals(n, SwitchHarness.summary(src, 180).get("sent").asLong());
            // Its link was reverted at most because its own VNFs ended, never because of the other path.
            for (String e : transitions(sw, link, true)) {
                if (e.contains("->REVERTING") || e.contains("->FAILED")) {
                    assertTrue(e.contains("the VNF of port c") || e.contains("the VNF of port d"), transitions(sw, link, true).toString());
                }
            }
            JsonNode got = SwitchHarness.summary(sink, 180);
            long dropped = portStat(sw.ofctl("dump-ports"), 4, 5);
            assertEquals(n, got.get("received").asLong() + dropped, got + " with " + dropped + " tx drops on port d");
            assertEquals(dropped, got.get("lost").asLong(), got.toString());
            assertEquals(0, got.get("duplicated").asLong(), got.toString());
            assertEquals(0, got.get("reordered").asLong(), got.toString());
            SwitchHarness.awaitIo("every packet of c counted", 30_000, () -> portCounter(sw, 3, 1) == n);
            String ports = sw.ofctl("dump-ports");
            assertEquals(n, portStat(ports, 4, 3) + portStat(ports, 4, 5), ports);
        }
    }

    @Test
    void killingTheConsumerDuringEstablishRevertsAndCountsWhatItCouldNotTake() throws Exception {
        Neighbour other = new Neighbour(60_000);
        int n = 20_000;
        Process sinkB = sw.testVm("io.shunt.vnf.Sink", "--port", "b", "--idle-timeout", "60s");
        sw.awaitVnfAttached("b");
        signal(sinkB, "STOP");   // b stalls: its shim will never pass the fence
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "a", "--count", Integer.toString(n), "--rate", "4000",
                "--no-drop");
        SwitchHarness.awaitIo("the link a=>b FENCED (b stalled before reading the link)", 60_000,
                () -> stateFrom(1).equals("FENCED"));
        String name = linkFrom(1).get("name").asText();
        SwitchHarness.awaitIo("traffic from a on the link", 30_000,
                () -> linkFrom(1).get("directions").get(0).get("packets").asLong() > 500);

        kill9(sinkB);
        SwitchHarness.awaitIo("the link reverted", 60_000, () -> transitions(sw, name, true).stream().anyMatch(e -> e.startsWith("REVERTING->NORMAL")));
        List<String> ev = transitions(sw, name, true);
        assertEquals(List.of("NORMAL->PLUGGING", "PLUGGING->TX_SWITCHED", "TX_SWITCHED->FENCED", "FENCED->REVERTING",
                "REVERTING->NORMAL"), ev.stream().map(e -> e.substring(0, e.indexOf(':'))).toList(), ev.toString());
        assertTrue(ev.get(3).contains("the VNF of port b") && ev.get(3).contains("is dead"), ev.toString());
        assertTrue(ev.get(4).contains("revert complete"), ev.toString());
        assertTrue(sw.daemonLog().contains("the switch drains the link ring"));
        // The path still holds but b has no VNF: the link is not re-established, the path stays on the switch.
        JsonNode now = linkFrom(1);
        assertTrue(now != null && !now.get("state").asText().equals("DIRECT") && !name.equals(now.get("name").asText()),
                String.valueOf(now));

        // a is never blocked: it sends everything; the switch accounts every packet once, those it could not
        // put into the dead b's rx ring as tx drops of port b.
        assertEquals(n, SwitchHarness.summary(src, 120).get("sent").asLong());
        SwitchHarness.awaitIo("every packet of a counted", 30_000, () -> portCounter(sw, 1, 1) == n);
        String ports = sw.ofctl("dump-ports");
        assertEquals(n, portStat(ports, 2, 3) + portStat(ports, 2, 5), ports);
        assertTrue(portStat(ports, 2, 5) > 0, "b's rx ring (4,096 slots) cannot hold 20,000 packets: drops counted\n" + ports);
        String flows = sw.ofctl("dump-flows");
        Matcher m = Pattern.compile("n_packets=(\\d+),[^\\n]*in_port=1[ ,]").matcher(flows);
        assertTrue(m.find(), flows);
        assertEquals(n, Long.parseLong(m.group(1)), flows);
        other.assertUndisturbed();
    }

    @Test
    void killingTheProducerDuringRevertCompletesTheRevertWithEveryPacketAccounted() throws Exception {
        Neighbour other = new Neighbour(60_000);
        Process sinkB = sw.testVm("io.shunt.vnf.Sink", "--port", "b", "--idle-timeout", "20s");
        sw.awaitVnfAttached("b");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "a", "--rate", "4000", "--no-drop");
        SwitchHarness.awaitIo("the link a=>b DIRECT", 60_000, () -> stateFrom(1).equals("DIRECT"));
        String name = linkFrom(1).get("name").asText();
        SwitchHarness.awaitIo("traffic on the link", 30_000,
                () -> linkFrom(1).get("directions").get(0).get("packets").asLong() > 1_000);

        signal(src, "STOP");   // a stalls: it will not ack the revert
        sw.ofctl("add-flow", "priority=40000,in_port=1,udp,actions=output:2");
        SwitchHarness.awaitIo("the link REVERTING (waiting for a's tx_ack=2)", 30_000, () -> stateFrom(1).equals("REVERTING")
                || transitions(sw, name, true).stream().anyMatch(e -> e.startsWith("DIRECT->REVERTING")));
        assertEquals("REVERTING", linkFrom(1).get("state").asText(), "a is stopped, the revert cannot complete yet");
        kill9(src);
        SwitchHarness.awaitIo("the revert complete", 60_000, () -> transitions(sw, name, true).stream().anyMatch(e -> e.startsWith("REVERTING->NORMAL")));
        List<String> ev = transitions(sw, name, true);
        assertEquals(List.of("NORMAL->PLUGGING", "PLUGGING->TX_SWITCHED", "TX_SWITCHED->FENCED", "FENCED->DIRECT",
                "DIRECT->REVERTING", "REVERTING->NORMAL"), ev.stream().map(e -> e.substring(0, e.indexOf(':'))).toList(),
                ev.toString());
        assertTrue(sw.daemonLog().contains("the VNF of port a (producer of direction 0) is dead"), "log");
        JsonNode now = linkFrom(1);
        assertTrue(now == null || now.get("name").isNull(), "no link for a path that does not hold: " + now);

        // What a had sent is everything the switch counted on port a; b got it once and in order, apart from what
        // the switch counted as tx drops on port b.
        JsonNode got = SwitchHarness.summary(sinkB, 120);
        String ports = sw.ofctl("dump-ports");
        long sent = portStat(ports, 1, 1);
        long dropped = portStat(ports, 2, 5);
        assertTrue(sent > 1_000, ports);
        assertEquals(sent, got.get("received").asLong() + dropped, got + "\n" + ports);
        assertEquals(sent, portStat(ports, 2, 3) + dropped, ports);
        assertEquals(0, got.get("duplicated").asLong(), got.toString());
        assertEquals(0, got.get("reordered").asLong(), got.toString());
        other.assertUndisturbed();
    }
}
