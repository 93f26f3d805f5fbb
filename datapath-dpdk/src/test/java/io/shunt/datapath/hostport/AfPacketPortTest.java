package io.shunt.datapath.hostport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The afpacket driver alone, on a real veth pair in a network namespace the test creates
 * and deletes (the driver runs in a child JVM inside it): frames sent through one end's
 * transmit ring arrive on the other end's receive ring byte for byte and in order, a VLAN
 * tag the kernel takes out is put back, an oversized frame is dropped and counted, and the
 * ports give every pool buffer back when closed.
 */
@Timeout(120)
class AfPacketPortTest {
    @TempDir
    Path tmp;

    @Test
    void framesCrossAVethPairThroughTheRingsUnchangedAndInOrder() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false), "needs root");
        String ns = "shunt-t-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(
                ThreadLocalRandom.current().nextInt(0x10000)) + "-dp";
        run("ip", "netns", "add", ns);
        try {
            // No IPv6 autoconfiguration frames: what v1 receives is exactly what the test sent.
            run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1");
            run("ip", "netns", "exec", ns, "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1");
            run("ip", "netns", "exec", ns, "ip", "link", "set", "v0", "up");
            run("ip", "netns", "exec", ns, "ip", "link", "set", "v1", "up");
            Path regions = Files.createTempDirectory(Path.of("/dev/shm"), "shunt-afpacket-test");
            String java = ProcessHandle.current().info().command().orElseThrow();
            String out = run("ip", "netns", "exec", ns, java, "--enable-native-access=ALL-UNNAMED", "-Xmx128m",
                    "-cp", System.getProperty("java.class.path"), AfPacketLoopback.class.getName(), regions.toString());
            try (var files = Files.list(regions)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(regions);
            // Taken: the 101 sent and the oversized one, which the port dropped itself.
            assertEquals(102, result(out, "taken"), out);
            assertEquals(101, result(out, "received"), out);
            assertEquals(0, result(out, "late"), out);
            assertEquals(0, result(out, "mismatched"), out);
            assertEquals(1, result(out, "vlan_ok"), out);
            assertEquals(101, result(out, "tx_packets"), out);
            assertEquals(1, result(out, "tx_dropped"), out);
            assertEquals(1, result(out, "tx_oversize"), out);
            assertEquals(101, result(out, "rx_packets"), out);
            assertEquals(100 * 64 + 64, result(out, "rx_bytes"), out);
            assertEquals(0, result(out, "rx_errors"), out);
            assertEquals(1024, result(out, "free_after_close"), out);
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    private static long result(String out, String key) {
        for (String line : out.split("\n")) {
            if (line.startsWith("RESULT ")) {
                for (String pair : line.substring(7).trim().split(" ")) {
                    String[] kv = pair.split("=", 2);
                    if (kv[0].equals(key)) {
                        return Long.parseLong(kv[1]);
                    }
                }
            }
        }
        throw new AssertionError("no RESULT " + key + " in:\n" + out);
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", argv) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", new ArrayList<>(List.of(argv))) + " failed: " + text);
        }
        return text;
    }
}
