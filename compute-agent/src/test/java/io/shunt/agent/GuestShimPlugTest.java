package io.shunt.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.shunt.agent.client.AgentClient;
import io.shunt.agent.client.AgentWire;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.ivshmem.LinkRegions;
import io.shunt.ivshmem.ProcessDeviceDirectory;
import io.shunt.ivshmem.TestRegions;

/**
 * The whole process path of a plug: a VNF process running the real guest shim registers
 * itself; the agent process, asked by {@link AgentClient}, plugs a link region into it; the
 * shim's device watcher maps and accepts the link; an unplug makes it let go.
 */
class GuestShimPlugTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path regionDir;
    @TempDir
    Path stateDir;

    @Test
    void theRealGuestShimSeesTheDeviceTheAgentPlugsAndUnplugs() throws Exception {
        Path deviceRoot = ProcessDeviceDirectory.defaultRoot(regionDir);
        try (PacketPool pool = TestRegions.pool(regionDir, "shunt-pool-br0");
             AgentProcess agent = AgentProcess.start(stateDir, regionDir, deviceRoot)) {
            TestRegions.port(regionDir, "vnf1", 1, pool);
            Path link;
            try (LinkRegion region = new LinkRegions(RegionOptions.in(regionDir)).create("br0", 1, 2, 2, 64, pool)) {
                link = region.region().file();
            }
            String device = link.getFileName().toString();
            String java = ProcessHandle.current().info().command().orElse("java");
            Process guest = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), GuestVnfMain.class.getName(),
                    regionDir.toString(), "vnf1").start();
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(guest.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        log.add(line);
                    }
                } catch (java.io.IOException e) {
                    log.add("read failed: " + e);
                }
            });
            reader.setDaemon(true);
            reader.start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(guest.getInputStream(),
                        StandardCharsets.UTF_8));
                String line = out.readLine();
                while (line != null && !line.equals("attached")) {
                    line = out.readLine();
                }
                assertEquals("attached", line, "guest log: " + log);
                String vnf = "pid-" + guest.pid();
                AgentClient client = AgentClient.withTokenFile(agent.url(), agent.tokenFile(), Duration.ofSeconds(10));
                assertEquals(List.of(new AgentWire.Port("vnf1", vnf, "process", guest.pid())), client.ports(),
                        "the shim registered the port");

                assertEquals(new AgentWire.Plugged("vnf1", vnf, device, "process"), client.plug("vnf1", device, link));
                awaitLine(log, "VNF '" + vnf + "': device '" + device + "'", "plugged");
                assertTrue(Files.isSymbolicLink(deviceRoot.resolve(vnf).resolve("devices").resolve(device)));

                client.unplug("vnf1", device);
                awaitLine(log, "VNF '" + vnf + "': device '" + device + "'", "unplugged");
                assertEquals(List.of(), client.devices());
                assertTrue(log.stream().noneMatch(l -> l.contains("ignoring device entry")), String.join("\n", log));
            } finally {
                guest.destroyForcibly();
                assertTrue(guest.waitFor(20, TimeUnit.SECONDS));
            }
        }
    }

    private static void awaitLine(List<String> log, String prefix, String word) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (log) {
                for (String line : log) {
                    int at = line.indexOf(prefix);
                    if (at >= 0 && line.indexOf(word, at + prefix.length()) >= 0) {
                        return;
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the guest shim logged no '" + prefix + "... " + word + "' within " + WAIT
                + "; its log:\n" + String.join("\n", log));
    }
}
