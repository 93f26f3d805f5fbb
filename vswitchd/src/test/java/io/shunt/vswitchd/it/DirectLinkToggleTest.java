package io.shunt.vswitchd.it;

import static io.shunt.vswitchd.it.LinkProbe.*;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Toggling a direct path under traffic with real flow-mods: a higher-priority entry that
 * breaks the path is added and deleted again with ovs-ofctl, each time the link is reverted
 * and established again (a new generation), while the source keeps sending. The sink must
 * see every packet once and in order, and the port counters must equal what was sent.
 * {@code -Dshunt.lm.toggles=N} (default 10) sets the number of cycles,
 * {@code -Dshunt.lm.rate=PPS} the source's rate (default 4000; 0: as fast as the ring takes
 * them) and {@code -Dshunt.lm.packets=N} how many it sends (default enough for the cycles at
 * 4,000/s); the establish and revert times taken from the transition log are printed as one
 * JSON line; {@code -Dshunt.lm.drain-seconds=S} (default 300) bounds the wait for the source
 * to finish after the last cycle. The soak of issue 8 is {@code -Dshunt.lm.toggles=1000
 * -Dshunt.lm.rate=0} with enough packets for 1,000 cycles (see docs/link-manager.md).
 */
@Timeout(3600)
class DirectLinkToggleTest {
    private static final int TOGGLES = Integer.getInteger("shunt.lm.toggles", 10);
    private static final long RATE = Long.getLong("shunt.lm.rate", 4_000);
    private static final long PACKETS = Long.getLong("shunt.lm.packets", Math.max(40_000, TOGGLES * 2_000L));
    private SwitchHarness sw;

    @BeforeEach
    void start() throws Exception {
        sw = new SwitchHarness();
    }

    @AfterEach
    void stop() throws Exception {
        sw.close();
    }

    private boolean direct() throws IOException {
        JsonNode l = firstLink(sw);
        return l != null && l.get("state").asText().equals("DIRECT");
    }

    private boolean onTheSwitch() throws IOException {
        JsonNode l = firstLink(sw);
        return l == null || l.get("name").isNull();
    }

    @Test
    void pathToggledByFlowModsUnderTrafficLosesDuplicatesReordersNothing() throws Exception {
        sw.startAgent();
        sw.startDaemon();
        sw.setFailMode("secure");
        sw.addPort("a");
        sw.addPort("b");
        // The sink stops at the count.
        long n = PACKETS;
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "b", "--count", Long.toString(n), "--idle-timeout", "60s");
        sw.awaitVnfAttached("b");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "a", "--count", Long.toString(n), "--rate",
                Long.toString(RATE), "--no-drop");
        SwitchHarness.awaitIo("the first link DIRECT", 60_000, this::direct);
        // The journal keeps the last 1,024 transitions: read it after every cycle (a cycle writes ~8).
        Map<String, JsonNode> events = new LinkedHashMap<>();
        int done = 0;
        for (int i = 0; i < TOGGLES && src.isAlive(); i++) {
            sw.ofctl("add-flow", "priority=40000,in_port=1,udp,actions=output:2");
            SwitchHarness.awaitIo("revert " + i, 30_000, this::onTheSwitch);
            sw.ofctl("del-flows", "--strict", "priority=40000,in_port=1,udp");
            SwitchHarness.awaitIo("establish " + i, 30_000, () -> direct() || !src.isAlive());
            done++;
            collect(events);
        }
        // What the source has left to send after the last cycle (a soak sizes it generously).
        assertEquals(n, SwitchHarness.summary(src, Integer.getInteger("shunt.lm.drain-seconds", 300)).get("sent").asLong());
        JsonNode got = SwitchHarness.summary(sink, 120);
        String ports = sw.ofctl("dump-ports");
        long dropped = portStat(ports, 2, 5);
        assertEquals(n, got.get("received").asLong() + dropped, got + " with " + dropped + " tx drops on port b");
        assertEquals(dropped, got.get("lost").asLong(), got.toString());
        assertEquals(0, got.get("duplicated").asLong(), got.toString());
        assertEquals(0, got.get("reordered").asLong(), got.toString());
        assertEquals(n, portStat(ports, 1, 1), "rx of a");
        assertEquals(n, portStat(ports, 2, 3) + dropped, "tx of b");
        assertTrue(done >= Math.min(TOGGLES, 3), "only " + done + " toggles happened while the source ran");

        // Times from the transition log: PLUGGING -> DIRECT and REVERTING -> NORMAL, per link generation.
        collect(events);
        Map<String, Instant> plugging = new HashMap<>();
        Map<String, Instant> reverting = new HashMap<>();
        List<Long> establishMs = new ArrayList<>();
        List<Long> revertMs = new ArrayList<>();
        for (JsonNode e : events.values()) {
            String link = e.get("link").asText();
            Instant at = Instant.parse(e.get("at").asText());
            String to = e.get("to").asText();
            if (to.equals("PLUGGING")) {
                plugging.put(link, at);
            } else if (to.equals("DIRECT") && plugging.containsKey(link)) {
                establishMs.add(Duration.between(plugging.get(link), at).toMillis());
            } else if (to.equals("REVERTING")) {
                reverting.put(link, at);
            } else if (to.equals("NORMAL") && reverting.containsKey(link)) {
                revertMs.add(Duration.between(reverting.get(link), at).toMillis());
            }
        }
        assertTrue(establishMs.size() >= done, establishMs.toString());
        Collections.sort(establishMs);
        Collections.sort(revertMs);
        System.out.println("{\"toggles\":" + done + ",\"establish_ms\":{\"p50\":" + pct(establishMs, 50) + ",\"p99\":"
                + pct(establishMs, 99) + ",\"max\":" + establishMs.getLast() + "},\"revert_ms\":{\"p50\":" + pct(revertMs, 50)
                + ",\"p99\":" + pct(revertMs, 99) + ",\"max\":" + (revertMs.isEmpty() ? 0 : revertMs.getLast())
                + "},\"sink\":" + got + "}");
    }

    /** Adds the journal's transitions not seen yet, keyed by link generation, time and state. */
    private void collect(Map<String, JsonNode> into) throws IOException {
        JsonNode recent = sw.rpc("link-events", SwitchHarness.JSON.createObjectNode().put("limit", 1024)).get("events");
        for (JsonNode e : recent) {
            into.putIfAbsent(e.get("link").asText() + " " + e.get("at").asText() + " " + e.get("to").asText(), e);
        }
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
