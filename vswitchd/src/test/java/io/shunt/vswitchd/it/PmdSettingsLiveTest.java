package io.shunt.vswitchd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PMD idle settings changed through the management socket ({@code set-pmd}) while
 * shunt-vswitchd forwards: the running PMD threads take the new idle policy without a
 * restart ({@code pmd-stats} reports what each PMD's loop uses), forwarding goes on, and a
 * thread-count change is kept for the next start.
 */
@Timeout(180)
class PmdSettingsLiveTest {
    private SwitchHarness sw;

    @BeforeEach
    void start() throws Exception {
        sw = new SwitchHarness();
    }

    @AfterEach
    void stop() throws Exception {
        sw.close();
    }

    private JsonNode pmd() throws java.io.IOException {
        JsonNode all = sw.rpc("pmd-stats", SwitchHarness.JSON.createObjectNode());
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    private static String policy(JsonNode pmd) {
        JsonNode p = pmd.get("idle_policy");
        return p.get("spin_polls").asInt() + "/" + p.get("yield_polls").asInt() + "/" + p.get("park_us").asInt();
    }

    @Test
    void idlePolicyChangesApplyToTheRunningPmdWhileItForwards() throws Exception {
        sw.startDaemon();
        sw.setFailMode("secure");
        sw.addPort("a");
        sw.addPort("b");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        assertEquals("1000/1000/50", policy(pmd()), "the defaults");
        Process sink = sw.vnf("sink", "b", "2000", "120000");

        ObjectNode set = SwitchHarness.JSON.createObjectNode();
        set.put("spin-polls", 10);
        set.put("yield-polls", 5);
        set.put("park-micros", 400);
        set.put("threads", 2);
        sw.rpc("set-pmd", set);
        SwitchHarness.awaitIo("the PMD on the new idle policy", 10_000, () -> policy(pmd()).equals("10/5/400"));

        SwitchHarness.summary(sw.vnf("source", "a", "500", "020000000001", "020000000002", "5000"), 60);
        SwitchHarness.awaitIo("500 frames forwarded", 30_000, () -> sw.counters("b").get("tx_packets").asLong() == 500);
        JsonNode summary = SwitchHarness.summary(sink, 60);
        assertEquals(500, summary.get("received").asLong(), summary.toString());
        assertEquals(1, sw.rpc("pmd-stats", SwitchHarness.JSON.createObjectNode()).size(),
                "the thread count applies at the next start");
        assertEquals(2, sw.rpc("show", SwitchHarness.JSON.createObjectNode()).get("pmd").get("threads").asInt(),
                "and is kept in the configuration");
    }
}
