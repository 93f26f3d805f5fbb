package io.shunt.ofproto.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real tool (ovs-ofctl, osken-manager, ovs-testcontroller) with a bounded wait; output in a temp file. */
public final class ExternalProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final List<String> command;

    private ExternalProcess(List<String> command, Path output, Process process) {
        this.command = command;
        this.output = output;
        this.process = process;
    }

    public static ExternalProcess start(Path workDir, List<String> command) throws IOException {
        return start(workDir, command, java.util.Map.of());
    }

    public static ExternalProcess start(Path workDir, List<String> command, java.util.Map<String, String> env)
            throws IOException {
        Path out = Files.createTempFile(workDir, "proc", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        return new ExternalProcess(new ArrayList<>(command), out, pb.start());
    }

    /** Runs to completion (killed after {@code timeoutSeconds}) and returns exit code and output. */
    public static Result run(Path workDir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
        try (ExternalProcess p = start(workDir, List.of(command))) {
            if (!p.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", command)
                        + "\noutput so far:\n" + p.output());
            }
            return new Result(p.process.exitValue(), p.output());
        }
    }

    public String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws IOException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }

    /** Exit code and combined stdout/stderr. */
    public record Result(int exitCode, String output) {
        public Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("exit code " + exitCode + ", output:\n" + output);
            }
            return this;
        }
    }
}
