package io.shunt.vswitchd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real process with SIGKILL while it rewrites the configuration in a
 * loop, many times: every time, what is on disk loads, and it holds the last
 * change the writer reported as stored or the one after it.
 */
class ConfigStoreCrashTest {

    /** The writer: stores configurations with 1, 2, 3, ... ports and prints each number once stored. */
    public static void main(String[] args) throws Exception {
        ConfigStore store = new ConfigStore(Path.of(args[0]));
        BridgeConfig bridge = store.load().bridge("br0").orElseThrow();
        for (int n = bridge.ports().size() + 1; ; n++) {
            bridge = bridge.withPort(new PortConfig("p" + n, PortType.DPDKR, n, Map.of("seq", Integer.toString(n)), true));
            store.store(Configuration.defaults().withBridge(bridge));
            System.out.println(n);
            System.out.flush();
        }
    }

    @TempDir
    Path dir;

    @Test
    void killNineDuringWritesNeverLeavesAHalfWrittenConfiguration() throws Exception {
        Path file = dir.resolve("conf.json");
        String java = ProcessHandle.current().info().command().orElseThrow();
        int lastReported = 0;
        for (int round = 0; round < 8; round++) {
            Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ConfigStoreCrashTest.class.getName(), file.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                int target = lastReported + 5 + round * 7;
                String line;
                while ((line = out.readLine()) != null) {
                    lastReported = Integer.parseInt(line.trim());
                    if (lastReported >= target) {
                        break;
                    }
                }
                writer.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroy, keeps our end of the pipe open
                assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "writer did not die");
                // Lines printed after the one we stopped at were stored too.
                while ((line = out.readLine()) != null) {
                    lastReported = Integer.parseInt(line.trim());
                }
            }
            Configuration loaded = new ConfigStore(file).load();
            List<PortConfig> ports = loaded.bridge("br0").orElseThrow().ports();
            int n = ports.size();
            assertTrue(n == lastReported || n == lastReported + 1,
                    "round " + round + ": writer reported " + lastReported + " stored, file has " + n);
            for (int i = 0; i < n; i++) {
                assertEquals("p" + (i + 1), ports.get(i).name());
                assertEquals(Integer.toString(i + 1), ports.get(i).options().get("seq"));
            }
            lastReported = n;
        }
    }
}
