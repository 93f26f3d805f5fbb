package io.shunt.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code shunt-compute-agent} as a real process, started as {@code bin/shunt-compute-agent}
 * does (this module's classes and runtime classpath) on an ephemeral port; the bound port is
 * read from {@code --port-file}. Its log goes to {@code agent.log} in the state directory.
 */
final class AgentProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final URI url;
    private final Path tokenFile;
    private final Path log;

    private AgentProcess(Process process, URI url, Path tokenFile, Path log) {
        this.process = process;
        this.url = url;
        this.tokenFile = tokenFile;
        this.log = log;
    }

    static AgentProcess start(Path stateDir, Path regionDir, Path deviceRoot, String... extra)
            throws IOException, InterruptedException {
        Path target = Path.of("target").toAbsolutePath();
        String classpath = target.resolve("classes") + ":" + Files.readString(target.resolve("classpath.txt")).strip();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path portFile = stateDir.resolve("agent.port");
        Path tokenFile = stateDir.resolve("agent.token");
        Path log = stateDir.resolve("agent.log");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, ComputeAgent.class.getName(),
                "--listen", "127.0.0.1:0", "--port-file", portFile.toString(), "--token-file", tokenFile.toString(),
                "--region-dir", regionDir.toString(), "--device-root", deviceRoot.toString()));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(portFile)) {
            if (!process.isAlive()) {
                throw new IOException("agent exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("agent wrote no port file within " + START_TIMEOUT + ": " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        int port = Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).strip());
        return new AgentProcess(process, URI.create("http://127.0.0.1:" + port), tokenFile, log);
    }

    URI url() {
        return url;
    }

    Path tokenFile() {
        return tokenFile;
    }

    String token() throws IOException {
        return Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    Process process() {
        return process;
    }

    /** SIGTERM, then the exit code (bounded wait). */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("agent did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
