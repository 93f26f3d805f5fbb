package io.shunt.vswitchd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * shunt-vswitchd as a child process with temporary state, run and region directories,
 * plus the tools a user would use against it: the JSON-RPC management socket,
 * {@code ovs-ofctl} on {@code unix:<run-dir>/br0.mgmt}, and {@link TestVnf} processes.
 */
final class SwitchHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    final Path stateDir;
    final Path runDir;
    final Path regionDir;
    private Process daemon;
    /** Extra command-line options of shunt-vswitchd (e.g. --agent-url). */
    final List<String> daemonOptions = new ArrayList<>();
    /** The network namespace the daemon runs in (null: the test's own). */
    private String netns;
    private final List<Process> children = new ArrayList<>();
    private int rpcId;
    private int agentPort;

    SwitchHarness() throws IOException {
        Path base = Files.createTempDirectory("shunt-it");
        stateDir = Files.createDirectories(base.resolve("state"));
        runDir = Files.createDirectories(base.resolve("run"));
        regionDir = Files.createTempDirectory(Path.of("/dev/shm"), "shunt-it-regions");
    }

    /** Runs the daemon inside network namespace {@code ns} (host-port tests: its interfaces live there). */
    SwitchHarness inNetns(String ns) {
        this.netns = ns;
        return this;
    }

    private static String daemonClasspath() throws IOException {
        Path target = Path.of("target");
        return target.resolve("classes").toAbsolutePath() + ":" + Files.readString(target.resolve("classpath.txt")).trim();
    }

    void startDaemon() throws Exception {
        List<String> argv = new ArrayList<>();
        if (netns != null) {
            argv.addAll(List.of("ip", "netns", "exec", netns));
        }
        argv.addAll(List.of(JAVA, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", daemonClasspath(), "io.shunt.vswitchd.ShuntVswitchd",
                "--state-dir", stateDir.toString(), "--run-dir", runDir.toString(), "--region-dir", regionDir.toString()));
        argv.addAll(daemonOptions);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(stateDir.resolve("vswitchd.log").toFile()));
        daemon = pb.start();
        // Socket files may be left over from a killed daemon: wait until both answer.
        awaitIo("the management socket", 30_000, () -> {
            rpc("list-br", JSON.createObjectNode());
            return true;
        });
        awaitIo("OpenFlow on br0.mgmt", 30_000, () -> {
            try {
                ofctl("show");
                return true;
            } catch (Exception | AssertionError e) {
                if (!daemon.isAlive()) {
                    throw new AssertionError("shunt-vswitchd exited: " + daemonLog());
                }
                return false;
            }
        });
    }

    /** Stops the daemon with SIGTERM (a clean shutdown) and starts it again on the same directories. */
    void restartDaemon() throws Exception {
        daemon.destroy();
        if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("shunt-vswitchd did not stop within 20 s of SIGTERM");
        }
        startDaemon();
    }

    /** kill -9 of the daemon (the test of a crash). */
    void killDaemon() throws InterruptedException {
        daemon.destroyForcibly();
        daemon.waitFor(10, TimeUnit.SECONDS);
    }

    String daemonLog() throws IOException {
        return Files.readString(stateDir.resolve("vswitchd.log"));
    }

    /** The last lines of each test-vms program's log ({@link #testVm}), for a failure message. */
    String vnfLogTails() throws IOException {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.list(stateDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("[a-z]+-\\d+\\.log")).sorted().toList()) {
                String text = Files.readString(f);
                out.append("--- ").append(f.getFileName()).append(":\n")
                        .append(text, Math.max(0, text.length() - 3_000), text.length());
            }
        }
        return out.toString();
    }

    JsonNode rpc(String method, ObjectNode params) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(runDir.resolve("shunt.ctl")));
            ObjectNode req = JSON.createObjectNode();
            req.put("jsonrpc", "2.0");
            req.put("id", ++rpcId);
            req.put("method", method);
            req.set("params", params);
            ch.write(ByteBuffer.wrap((JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8)));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            JsonNode resp = JSON.readTree(in.readLine());
            if (resp.has("error")) {
                throw new IOException(method + " " + params + ": " + resp.get("error"));
            }
            return resp.get("result");
        }
    }

    int addPort(String name) throws IOException {
        ObjectNode p = JSON.createObjectNode();
        p.put("bridge", "br0");
        p.put("port", name);
        return rpc("add-port", p).get("ofport").asInt();
    }

    void setFailMode(String mode) throws IOException {
        ObjectNode p = JSON.createObjectNode();
        p.put("bridge", "br0");
        p.put("mode", mode);
        rpc("set-fail-mode", p);
    }

    /** The "counters" row of a port. */
    JsonNode counters(String port) throws IOException {
        for (JsonNode row : rpc("counters", JSON.createObjectNode())) {
            if (row.get("port").asText().equals(port)) {
                return row;
            }
        }
        throw new AssertionError("no counters for port " + port);
    }

    /** Runs ovs-ofctl -O OpenFlow13 CMD unix:br0.mgmt ARGS...; returns its output, failing on a non-zero exit. */
    String ofctl(String cmd, String... args) throws Exception {
        return ofctlAt("unix:" + runDir.resolve("br0.mgmt"), cmd, args);
    }

    /** Runs ovs-ofctl -O OpenFlow13 CMD TARGET ARGS... against any OpenFlow listener of the switch. */
    String ofctlAt(String target, String cmd, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13", cmd, target));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ovs-ofctl " + cmd + " did not finish in 30 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("ovs-ofctl " + argv + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    /** Starts a background process (e.g. ovs-ofctl monitor) that the harness kills at the end. */
    Process background(List<String> argv, Path output) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        children.add(p);
        return p;
    }

    /** Starts a {@link TestVnf} program as a process. */
    Process vnf(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(JAVA, "--enable-native-access=ALL-UNNAMED", "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), TestVnf.class.getName()));
        argv.add(args[0]);
        argv.add(regionDir.toString());
        argv.addAll(List.of(args).subList(1, args.length));
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(p);
        return p;
    }

    /**
     * Starts the compute agent (compute-agent's {@code io.shunt.agent.ComputeAgent}) on an
     * ephemeral port, for this harness's region directory, and makes the next
     * {@link #startDaemon} use it ({@code --agent-url}, {@code --agent-token-file}).
     */
    Process startAgent() throws Exception {
        Process p = runAgent("127.0.0.1:0");
        agentPort = Integer.parseInt(Files.readString(stateDir.resolve("agent.port")).strip());
        daemonOptions.addAll(List.of("--agent-url", "http://127.0.0.1:" + agentPort, "--agent-token-file",
                stateDir.resolve("agent.token").toString()));
        return p;
    }

    /** Starts the compute agent again, on the port and with the token of {@link #startAgent} (after it was stopped). */
    Process restartAgent() throws Exception {
        return runAgent("127.0.0.1:" + agentPort);
    }

    private Process runAgent(String listen) throws Exception {
        Path portFile = stateDir.resolve("agent.port");
        Path tokenFile = stateDir.resolve("agent.token");
        Files.deleteIfExists(portFile);
        List<String> argv = new ArrayList<>(List.of(JAVA, "-Xmx96m", "-cp", System.getProperty("java.class.path"),
                "io.shunt.agent.ComputeAgent", "--listen", listen, "--port-file", portFile.toString(),
                "--token-file", tokenFile.toString(), "--region-dir", regionDir.toString(), "--watch-interval-ms", "200"));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stateDir.resolve("agent.log").toFile())).start();
        children.add(p);
        awaitIo("the compute agent's port file", 30_000, () -> {
            if (!p.isAlive()) {
                throw new AssertionError("the compute agent exited: " + Files.readString(stateDir.resolve("agent.log")));
            }
            return Files.exists(portFile) && !Files.readString(portFile).isBlank();
        });
        return p;
    }

    /**
     * Waits until a VNF's shim has attached {@code port}: its registration
     * {@code <device-root>/<vnf>/ports/<port>} exists (what the compute agent looks up).
     */
    void awaitVnfAttached(String port) throws Exception {
        Path root = regionDir.resolve("shunt-devices");
        awaitIo("a VNF attached to port " + port, 60_000, () -> {
            if (!Files.isDirectory(root)) {
                return false;
            }
            try (Stream<Path> vnfs = Files.list(root)) {
                return vnfs.anyMatch(v -> Files.exists(v.resolve("ports").resolve(port),
                        java.nio.file.LinkOption.NOFOLLOW_LINKS));
            }
        });
    }

    /** Starts one of the test-vms programs ({@code io.shunt.vnf.Source}, ...) as a process, with {@code --dir}. */
    Process testVm(String mainClass, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(JAVA, "--enable-native-access=ALL-UNNAMED", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), mainClass, "--dir", regionDir.toString()));
        argv.addAll(List.of(args));
        // Its log (stderr) beside the daemon's, for a failing test to show.
        String name = mainClass.substring(mainClass.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
        Path log = stateDir.resolve(name + "-" + children.size() + ".log");
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        children.add(p);
        return p;
    }

    /** Waits for a VNF to exit and parses its JSON summary line. */
    static JsonNode summary(Process p, long timeoutSeconds) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("VNF did not exit within " + timeoutSeconds + " s");
        }
        // 143: a test-vms program stopped by SIGTERM still prints its summary.
        if (p.exitValue() != 0 && p.exitValue() != 143) {
            throw new AssertionError("VNF failed with " + p.exitValue() + ": " + out);
        }
        String[] lines = out.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    static void await(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    interface IoSupplier {
        boolean get() throws IOException;
    }

    static void awaitIo(String what, long timeoutMillis, IoSupplier condition) throws Exception {
        await(what, timeoutMillis, () -> {
            try {
                return condition.get();
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Override
    public void close() throws Exception {
        for (Process p : children) {
            p.destroyForcibly();
        }
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
        try (Stream<Path> files = Files.walk(regionDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
