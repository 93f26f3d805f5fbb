package io.shunt.vnf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One VNF program run as its own JVM, as a VNF image would run it: the test classpath (which
 * holds the module's classes and its runtime dependencies), stdout and stderr in files.
 */
final class VnfProcess {
    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private VnfProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static VnfProcess start(String name, Path logDirectory, Class<?> program, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot find this JVM's executable"));
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), program.getName()));
        command.addAll(List.of(args));
        Path out = logDirectory.resolve(name + ".out");
        Path err = logDirectory.resolve(name + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new VnfProcess(name, process, out, err);
    }

    /** Waits up to {@code seconds} for the exit; kills the child and fails if it does not exit. */
    int awaitExit(long seconds) throws InterruptedException, IOException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(name + " did not exit within " + seconds + " s; " + output());
        }
        return process.exitValue();
    }

    /** SIGTERM, as an orchestrator stops a VNF. */
    void terminate() {
        process.destroy();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stdout() throws IOException {
        return Files.exists(stdout) ? Files.readString(stdout) : "";
    }

    String stderr() throws IOException {
        return Files.exists(stderr) ? Files.readString(stderr) : "";
    }

    String output() {
        try {
            return "stdout:\n" + stdout() + "\nstderr:\n" + stderr();
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The JSON summary: the last line of stdout. */
    JsonNode summary() throws IOException {
        String[] lines = stdout().strip().split("\n");
        String last = lines[lines.length - 1];
        if (!last.startsWith("{")) {
            throw new AssertionError(name + " printed no JSON summary; " + output());
        }
        return JsonLine.mapper().readTree(last);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
