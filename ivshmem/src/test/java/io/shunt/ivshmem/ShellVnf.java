package io.shunt.ivshmem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real VNF process for tests: {@code sh} registers itself in the process device directory
 * exactly as the guest shim does (contract-links.md section 1: {@code ports/<port>} symlinks,
 * then {@code pid} written to a temporary name and renamed), then {@code exec}s {@code sleep},
 * so the registered pid stays the live process until the test kills it.
 */
public final class ShellVnf implements AutoCloseable {
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path directory;

    private ShellVnf(Process process, Path directory) {
        this.process = process;
        this.directory = directory;
    }

    /** Starts a VNF with vnf-id {@code pid-<pid>} owning {@code ports} (port name → port region file). */
    public static ShellVnf start(Path deviceRoot, Map<String, Path> ports) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder("set -e; d=\"$1/pid-$$\"; mkdir -p \"$d/ports\"; shift;\n");
        script.append("while [ $# -gt 0 ]; do ln -s \"$2\" \"$d/ports/$1\"; shift 2; done;\n");
        script.append("echo $$ > \"$d/.pid.tmp\"; mv \"$d/.pid.tmp\" \"$d/pid\";\n");
        script.append("exec sleep 600\n");
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", script.toString(), "vnf", deviceRoot.toString()));
        for (Map.Entry<String, Path> port : ports.entrySet()) {
            command.add(port.getKey());
            command.add(port.getValue().toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path directory = deviceRoot.resolve("pid-" + process.pid());
        long deadline = System.nanoTime() + REGISTRATION_TIMEOUT.toNanos();
        while (!Files.exists(directory.resolve("pid"))) {
            if (!process.isAlive()) {
                throw new IOException("VNF shell exited with " + process.exitValue() + " before registering");
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("VNF shell did not register within " + REGISTRATION_TIMEOUT);
            }
            Thread.sleep(5);
        }
        return new ShellVnf(process, directory);
    }

    public long pid() {
        return process.pid();
    }

    /** Its vnf-id, {@code pid-<pid>}. */
    public String id() {
        return "pid-" + process.pid();
    }

    public Path directory() {
        return directory;
    }

    /** SIGKILL, as a crash would; returns once the process is reaped (no zombie left). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("VNF " + id() + " did not die within 20 s of SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
