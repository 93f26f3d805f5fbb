package io.shunt.ctl.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real shunt-vswitchd, run as a child JVM (io.shunt.vswitchd.ShuntVswitchd
 * from the test classpath) with its own state, run and region directories,
 * for shunt-ctl to talk to over its real sockets.
 */
public final class VswitchdProcess implements AutoCloseable {

    private static final long START_TIMEOUT_MS = 60_000;

    private final Process process;
    private final Path dir;
    private final Path runDir;
    private final Path stateDir;
    private final Path regionDir;
    private final Path log;

    private VswitchdProcess(Process process, Path dir, Path runDir, Path stateDir, Path regionDir, Path log) {
        this.process = process;
        this.dir = dir;
        this.runDir = runDir;
        this.stateDir = stateDir;
        this.regionDir = regionDir;
        this.log = log;
    }

    /**
     * Starts vswitchd with state and run directories under {@code dir} and its shared-memory
     * regions in a temporary directory of /dev/shm (as in production; removed by {@link #close}),
     * and returns once its management socket accepts connections.
     */
    public static VswitchdProcess start(Path dir) throws IOException, InterruptedException {
        Path state = Files.createDirectories(dir.resolve("state"));
        Path run = Files.createDirectories(runDirUnder(dir));
        Path shm = Path.of("/dev/shm");
        Path regions = Files.isDirectory(shm) ? Files.createTempDirectory(shm, "shunt-ctl-test")
                : Files.createDirectories(dir.resolve("regions"));
        return startWith(dir, state, run, regions);
    }

    private static VswitchdProcess startWith(Path dir, Path state, Path run, Path regions) throws IOException, InterruptedException {
        Path log = dir.resolve("vswitchd-" + System.nanoTime() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                "io.shunt.vswitchd.ShuntVswitchd",
                "--state-dir", state.toString(), "--run-dir", run.toString(), "--region-dir", regions.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        VswitchdProcess v = new VswitchdProcess(p, dir, run, state, regions, log);
        v.awaitSocket();
        return v;
    }

    private void awaitSocket() throws IOException, InterruptedException {
        Path socket = runDir.resolve("shunt.ctl");
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("shunt-vswitchd exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (Files.exists(socket)) {
                try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    c.connect(UnixDomainSocketAddress.of(socket));
                    return;
                } catch (IOException notYet) {
                    // bound but not yet accepting: try again shortly
                }
            }
            Thread.sleep(50);
        }
        close();
        throw new IllegalStateException("shunt-vswitchd did not open " + socket + " within " + START_TIMEOUT_MS + " ms:\n"
                + Files.readString(log));
    }

    /** The run directory (sockets) of a vswitchd started under {@code dir}. */
    public static Path runDirUnder(Path dir) {
        return dir.resolve("run");
    }

    public Path runDir() {
        return runDir;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** Where vswitchd creates its shared-memory regions (pool and port files). */
    public Path regionDir() {
        return regionDir;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /**
     * Stops vswitchd (SIGTERM) and starts a new one on the same state, run and region
     * directories, as an operator's restart does: the configuration is restored from the
     * state directory and the region files are left for it to re-attach. Use the returned
     * process from now on.
     */
    public VswitchdProcess restart() throws IOException, InterruptedException {
        stop();
        return startWith(dir, stateDir, runDir, regionDir);
    }

    /** Stops vswitchd (SIGTERM, then SIGKILL after 20 s) and removes its region files. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(regionDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp directory in /dev/shm is harmless to later runs
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
