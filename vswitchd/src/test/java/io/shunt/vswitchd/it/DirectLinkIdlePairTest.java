package io.shunt.vswitchd.it;

import static io.shunt.vswitchd.it.LinkProbe.*;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pair A⇔B whose B never transmits (a receive-only sink), with real processes (vswitchd,
 * compute agent, test-vms): the link reports DIRECT as a whole with B's direction shown waiting
 * (not an error, never reverted for it, however many step timeouts pass); a revert of the pair
 * closes A's direction at once (A's traffic goes back through the switch without loss) and
 * waits, again without failing, for B, which never switched: it acks at its next burst or, as
 * here, when it ends, and then the revert completes (docs/direct-link-protocol.md, revert).
 */
@Timeout(240)
class DirectLinkIdlePairTest {
    private static final long STEP_TIMEOUT_MS = 1_000;
    private SwitchHarness sw;

    @BeforeEach
    void start() throws Exception {
        sw = new SwitchHarness();
        sw.startAgent();
        // A short step timeout: an idle direction must survive many of them.
        sw.daemonOptions.addAll(List.of("--link-step-timeout", Long.toString(STEP_TIMEOUT_MS)));
        sw.startDaemon();
        sw.setFailMode("secure");
        assertEquals(1, sw.addPort("a"));
        assertEquals(2, sw.addPort("b"));
    }

    @AfterEach
    void stop() throws Exception {
        sw.close();
    }

    private JsonNode pair() throws IOException {
        for (JsonNode l : sw.rpc("links", SwitchHarness.JSON.createObjectNode()).get("links")) {
            if (l.get("pair").asBoolean()) {
                return l;
            }
        }
        return null;
    }

    @Test
    void aPairWithAReceiveOnlySideIsDirectAndItsRevertCompletes() throws Exception {
        int n = 40_000;
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "b", "--count", Integer.toString(n), "--idle-timeout", "10s");
        sw.awaitVnfAttached("b");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        sw.ofctl("add-flow", "in_port=2,actions=output:1");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "a", "--count", Integer.toString(n), "--rate", "4000",
                "--no-drop");
        SwitchHarness.awaitIo("the pair DIRECT", 60_000, () -> pair() != null && pair().get("state").asText().equals("DIRECT"));
        JsonNode l = pair();
        String name = l.get("name").asText();
        assertTrue(name.startsWith("shunt-link-br0-1-2-"), l.toString());
        assertEquals("DIRECT", l.get("directions").get(0).get("state").asText(), l.toString());
        assertEquals("TX_SWITCHED", l.get("directions").get(1).get("state").asText(), l.toString());
        assertTrue(l.get("error").asText("").contains("waiting for the VNF of port b to transmit"), l.toString());

        // Three step timeouts later the link is still DIRECT (idle is not stalled).
        SwitchHarness.awaitIo("traffic on the link for 3 step timeouts", 60_000,
                () -> pair().get("age_ms").asLong() > 3 * STEP_TIMEOUT_MS + 500
                        && pair().get("directions").get(0).get("packets").asLong() > 2_000);
        l = pair();
        assertEquals("DIRECT", l.get("state").asText(), l.toString());
        assertEquals(List.of("NORMAL->PLUGGING", "PLUGGING->TX_SWITCHED", "TX_SWITCHED->FENCED", "FENCED->DIRECT"),
                transitions(sw, name, false));

        // Break a=>b: the pair reverts. a's direction closes at once; b's waits for b, without FAILED.
        sw.ofctl("add-flow", "priority=40000,in_port=1,udp,actions=output:2");
        SwitchHarness.awaitIo("a's direction closed", 30_000, () -> {
            JsonNode p = pair();
            return p != null && p.get("directions").get(0).get("state").asText().equals("CLOSED");
        });
        long since = System.nanoTime();
        SwitchHarness.await("3 step timeouts", 10_000, () -> System.nanoTime() - since > 3_000_000L * STEP_TIMEOUT_MS);
        l = pair();
        assertEquals("REVERTING", l.get("state").asText(), l.toString());
        assertEquals("REVERTING", l.get("directions").get(1).get("state").asText(), l.toString());
        assertTrue(l.get("error").asText("").contains("waiting for the VNF of port b to transmit"), l.toString());
        assertEquals(List.of("NORMAL->PLUGGING", "PLUGGING->TX_SWITCHED", "TX_SWITCHED->FENCED", "FENCED->DIRECT",
                "DIRECT->REVERTING"), transitions(sw, name, false));

        // a's traffic is back on the switch: every packet arrives once and in order, counters agree.
        assertEquals(n, SwitchHarness.summary(src, 120).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 120);
        String ports = sw.ofctl("dump-ports");
        long dropped = portStat(ports, 2, 5);
        assertEquals(n, got.get("received").asLong() + dropped, got + " with " + dropped + " tx drops on port b");
        assertEquals(0, got.get("duplicated").asLong(), got.toString());
        assertEquals(0, got.get("reordered").asLong(), got.toString());
        assertEquals(n, portStat(ports, 1, 1), ports);
        assertEquals(n, portStat(ports, 2, 3) + dropped, ports);

        // b never transmitted; it has ended now, so its direction is treated as acked (tx_ack=2): the revert completes.
        SwitchHarness.awaitIo("the revert complete", 30_000, () -> transitions(sw, name, false).contains("REVERTING->NORMAL"));
        assertEquals(List.of("NORMAL->PLUGGING", "PLUGGING->TX_SWITCHED", "TX_SWITCHED->FENCED", "FENCED->DIRECT",
                "DIRECT->REVERTING", "REVERTING->NORMAL"), transitions(sw, name, false));
        assertTrue(!sw.daemonLog().contains("revert stalled"), "an idle producer is not a stall");
    }
}
