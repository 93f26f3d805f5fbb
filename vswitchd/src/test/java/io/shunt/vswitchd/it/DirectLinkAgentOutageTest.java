package io.shunt.vswitchd.it;

import static io.shunt.vswitchd.it.LinkProbe.*;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compute agent stops while a link is up (real vswitchd, compute agent, test-vms): a
 * flow-mod then breaks the path, and the revert still completes, because its steps are the
 * words in the link region, not agent calls; the unplugs fail, are logged and retried with
 * back-off, and once the agent is back on its port the VNFs' device entries are removed.
 */
@Timeout(240)
class DirectLinkAgentOutageTest {
    private SwitchHarness sw;

    @AfterEach
    void stop() throws Exception {
        if (sw != null) {
            sw.close();
        }
    }

    /** The device entries {@code <device-root>/<vnf>/devices/<name>} that exist now. */
    private List<Path> deviceEntries(String name) throws IOException {
        Path root = sw.regionDir.resolve("shunt-devices");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> vnfs = Files.list(root)) {
            return vnfs.map(v -> v.resolve("devices").resolve(name))
                    .filter(e -> Files.exists(e, LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }

    @Test
    void theRevertCompletesWithoutTheAgentAndItsUnplugsAreRetriedUntilItIsBack() throws Exception {
        sw = new SwitchHarness();
        Process agent = sw.startAgent();
        sw.startDaemon();
        sw.setFailMode("secure");
        assertEquals(1, sw.addPort("a"));
        assertEquals(2, sw.addPort("b"));
        int n = 60_000;
        Process sink = sw.testVm("io.shunt.vnf.Sink", "--port", "b", "--count", Integer.toString(n), "--idle-timeout", "60s");
        sw.awaitVnfAttached("b");
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        Process src = sw.testVm("io.shunt.vnf.Source", "--port", "a", "--count", Integer.toString(n), "--rate", "4000",
                "--no-drop");
        SwitchHarness.awaitIo("the link DIRECT", 60_000, () -> firstLink(sw) != null && firstLink(sw).get("state").asText().equals("DIRECT"));
        String name = firstLink(sw).get("name").asText();
        SwitchHarness.awaitIo("traffic on the link", 30_000,
                () -> firstLink(sw).get("directions").get(0).get("packets").asLong() > 2_000);
        assertEquals(2, deviceEntries(name).size(), "plugged into both VNFs");

        agent.destroyForcibly();
        assertTrue(agent.waitFor(10, TimeUnit.SECONDS));
        sw.ofctl("add-flow", "priority=40000,in_port=1,udp,actions=output:2");
        SwitchHarness.awaitIo("the revert complete without the agent", 60_000, () -> transitions(sw, name, false).contains("REVERTING->NORMAL"));
        assertEquals(List.of("NORMAL->PLUGGING", "PLUGGING->TX_SWITCHED", "TX_SWITCHED->FENCED", "FENCED->DIRECT",
                "DIRECT->REVERTING", "REVERTING->NORMAL"), transitions(sw, name, false));
        // The unplugs failed and are retried (at least twice each) while the agent is away; the entries stay.
        SwitchHarness.awaitIo("the unplugs retried", 30_000, () -> {
            String log = sw.daemonLog();
            return log.contains("link " + name + ": unplug from the VNF of port a failed (attempt 2)")
                    && log.contains("link " + name + ": unplug from the VNF of port b failed (attempt 2)");
        });
        assertEquals(2, deviceEntries(name).size(), "nobody removed the entries while the agent was away");

        sw.restartAgent();
        SwitchHarness.awaitIo("the device entries removed once the agent is back", 60_000,
                () -> deviceEntries(name).isEmpty());
        SwitchHarness.awaitIo("the retried unplugs logged", 10_000, () -> {
            String log = sw.daemonLog();
            return log.contains("link " + name + ": unplugged from the VNF of port a after")
                    && log.contains("link " + name + ": unplugged from the VNF of port b after");
        });

        // The traffic crossed the outage and the revert: every packet once, in order, counted.
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
