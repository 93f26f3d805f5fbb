package io.shunt.datapath.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A separate JVM running a main class of the test classpath, its output in a log file. */
final class ChildJvm {
    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildJvm start(String name, Path logDirectory, Class<?> mainClass, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot find this JVM's executable"));
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx128m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        Path log = logDirectory.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildJvm(name, process, log);
    }

    /** Waits up to {@code seconds} for the exit; kills the child and fails if it does not exit. */
    int awaitExit(long seconds) throws InterruptedException, IOException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(name + " did not exit within " + seconds + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL, as when a VNF crashes: no shutdown hook, no cleanup. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The value of {@code key=} on the child's {@code RESULT} line. */
    long result(String key) throws IOException {
        for (String line : output().split("\n")) {
            if (line.startsWith("RESULT ")) {
                for (String pair : line.substring(7).trim().split(" ")) {
                    String[] kv = pair.split("=", 2);
                    if (kv[0].equals(key)) {
                        return Long.parseLong(kv[1]);
                    }
                }
            }
        }
        throw new AssertionError(name + " printed no RESULT " + key + "=; output:\n" + output());
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
