package io.shunt.ctl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Open vSwitch's {@code ovs-ofctl -O OpenFlow13} against one OpenFlow listener
 * ({@code unix:PATH} or {@code tcp:HOST:PORT}): the reference that shunt-ctl's
 * flow commands are checked against.
 */
public final class OvsOfctl {

    private static final long TIMEOUT_SECONDS = 60;

    private final Path scratch;
    private final String target;

    public OvsOfctl(Path scratch, String target) {
        this.scratch = scratch;
        this.target = target;
    }

    /** Runs {@code ovs-ofctl -O OpenFlow13 COMMAND TARGET ARGS}; fails the test unless it exits 0; returns its output. */
    public String run(String command, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13", command, target));
        argv.addAll(List.of(args));
        Path out = Files.createTempFile(scratch, "ofctl", ".out");
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String text = Files.readString(out);
            assertEquals(0, p.exitValue(), () -> String.join(" ", argv) + ":\n" + text);
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
