package io.shunt.vswitchd.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Network namespaces and veth pairs that a test creates and always deletes: one namespace
 * for the switch ({@link #switchNs}), where shunt-vswitchd runs and the switch ends of the
 * veths live, and one per host, holding the other end as {@code eth0} with an address of
 * 10.77.0.0/24. Nothing is created in the machine's own namespace; deleting a namespace
 * deletes its veth ends. Namespaces left by a killed test run (their pid is dead) are
 * removed when the next lab starts.
 */
final class NetnsLab implements AutoCloseable {
    private static final String PREFIX = "shunt-t-";
    private static final Path NETNS_DIR = Path.of("/var/run/netns");

    final String id;
    final String switchNs;
    private final List<String> namespaces = new ArrayList<>();

    NetnsLab() throws Exception {
        removeStale();
        id = PREFIX + ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        switchNs = addNamespace("sw");
    }

    /** Whether the machine lets a test build namespaces and veths (root, iproute2). */
    static boolean available() {
        try {
            return new ProcessBuilder("ip", "netns", "list").start().waitFor() == 0
                    && ProcessHandle.current().info().user().map("root"::equals).orElse(false);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private String addNamespace(String suffix) throws Exception {
        String ns = id + "-" + suffix;
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        in(ns, "ip", "link", "set", "lo", "up");
        // No IPv6 autoconfiguration chatter: the counters then hold exactly the test's traffic.
        in(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        in(ns, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
        return ns;
    }

    /**
     * A host namespace named {@code id-<name>} whose {@code eth0} is veth-paired with
     * {@code <switchEnd>} in the switch namespace; eth0 gets {@code address} (CIDR) and both
     * ends are up. Transmit checksum offload (and with it TSO/GSO) is off on eth0, as for
     * any AF_PACKET switch port (OVS's userspace datapath asks the same of veths).
     */
    String addHost(String name, String switchEnd, String address) throws Exception {
        String ns = addNamespace(name);
        run("ip", "link", "add", switchEnd, "netns", switchNs, "type", "veth", "peer", "name", "eth0", "netns", ns);
        in(ns, "ethtool", "-K", "eth0", "tx", "off");
        in(ns, "ip", "addr", "add", address, "dev", "eth0");
        in(ns, "ip", "link", "set", "eth0", "up");
        in(switchNs, "ip", "link", "set", switchEnd, "up");
        return ns;
    }

    /** Runs a command in namespace {@code ns}; returns its output, failing on a non-zero exit. */
    String in(String ns, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(List.of(command));
        return run(argv.toArray(String[]::new));
    }

    /** Runs a command in {@code ns}; returns its exit code (output discarded into the returned holder). */
    Result tryIn(String ns, long timeoutSeconds, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(List.of(command));
        return exec(argv, timeoutSeconds);
    }

    record Result(int exit, String output) {
    }

    /** A counter of {@code /sys/class/net/<dev>/statistics/<name>} as seen in {@code ns}. */
    long counter(String ns, String dev, String name) throws Exception {
        return Long.parseLong(in(ns, "cat", "/sys/class/net/" + dev + "/statistics/" + name).trim());
    }

    /** Starts a background process in {@code ns} (the caller stops it). */
    Process background(String ns, Path output, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    static String run(String... command) throws Exception {
        Result r = exec(List.of(command), 60);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.exit() + "): " + r.output());
        }
        return r.output();
    }

    private static Result exec(List<String> argv, long timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out;
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", argv) + " did not finish in " + timeoutSeconds + " s: "
                    + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        out = p.getInputStream().readAllBytes();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Namespaces of earlier runs whose test JVM is gone. */
    private static void removeStale() throws Exception {
        if (!Files.isDirectory(NETNS_DIR)) {
            return;
        }
        try (Stream<Path> s = Files.list(NETNS_DIR)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(PREFIX)) {
                    continue;
                }
                String[] parts = n.substring(PREFIX.length()).split("-");
                try {
                    long pid = Long.parseLong(parts[0]);
                    if (ProcessHandle.of(pid).isEmpty()) {
                        exec(List.of("ip", "netns", "del", n), 30);
                    }
                } catch (NumberFormatException ignored) {
                    // Not one of ours.
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            exec(List.of("ip", "netns", "del", namespaces.get(i)), 30);
        }
        namespaces.clear();
    }
}
