package io.shunt.ctl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real shunt-vswitchd for all the tests of a class (a JUnit extension:
 * {@code @RegisterExtension static final SharedVswitchd vswitchd = new SharedVswitchd();}),
 * started before the first test in a temporary directory and stopped, with the
 * directory removed, after the last. Its {@link #ctl()} and {@link #ofctl} can be
 * taken in static initialisers: they name the run directory, which is fixed now.
 */
public final class SharedVswitchd implements BeforeAllCallback, AfterAllCallback {

    private final Path dir;
    private final Ctl ctl;
    private VswitchdProcess process;

    public SharedVswitchd() {
        try {
            dir = Files.createTempDirectory("shunt-ctl-it");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for vswitchd", e);
        }
        ctl = new Ctl(VswitchdProcess.runDirUnder(dir));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        process = VswitchdProcess.start(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (process != null) {
            process.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** shunt-ctl with --run-dir of this vswitchd. */
    public Ctl ctl() {
        return ctl;
    }

    /** ovs-ofctl on the OpenFlow socket of {@code bridge} ({@code unix:<run-dir>/BRIDGE.mgmt}). */
    public OvsOfctl ofctl(String bridge) {
        return new OvsOfctl(dir, "unix:" + runDir().resolve(bridge + ".mgmt"));
    }

    public Path runDir() {
        return VswitchdProcess.runDirUnder(dir);
    }

    /** A scratch directory for the test's files (removed with the rest after the last test). */
    public Path scratch() {
        return dir;
    }
}
