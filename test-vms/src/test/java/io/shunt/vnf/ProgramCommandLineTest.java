package io.shunt.vnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The programs' command lines, run as processes: help, and errors a user would make. */
class ProgramCommandLineTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyProgramPrintsItsUsageWithHelp() throws Exception {
        try (SwitchStandIn sw = new SwitchStandIn(64)) {
            for (Class<?> program : new Class<?>[] {Source.class, Forwarder.class, Sink.class}) {
                VnfProcess p = VnfProcess.start(program.getSimpleName(), sw.directory(), program, "--help");
                assertEquals(0, p.awaitExit(60), p::output);
                assertTrue(p.stdout().startsWith("Usage: " + program.getSimpleName().toLowerCase()), p::output);
                assertTrue(p.stdout().contains("--dir"), p::output);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anUnknownPortFailsWithAMessageNamingTheRegionFile() throws Exception {
        try (SwitchStandIn sw = new SwitchStandIn(64)) {
            VnfProcess p = VnfProcess.start("sink", sw.directory(), Sink.class, "--dir", sw.directory().toString(),
                    "--port", "dpdkr7");
            assertEquals(1, p.awaitExit(50), p::output);
            String expected = sw.directory().resolve("shunt-port-dpdkr7").toString();
            assertTrue(p.stderr().contains("sink: port 'dpdkr7' (" + expected + "): no such port region"), p::output);
            assertFalse(p.stderr().contains("\tat "), "no stack trace for a user error: " + p.output());
            assertEquals("", p.stdout());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFrameSizeBelowTheProbeIsRefusedBeforeAttaching() throws Exception {
        try (SwitchStandIn sw = new SwitchStandIn(64)) {
            sw.addPort("dpdkr0", 1);
            VnfProcess p = VnfProcess.start("source", sw.directory(), Source.class, "--dir", sw.directory().toString(),
                    "--port", "dpdkr0", "--size", "60", "--count", "1");
            assertEquals(1, p.awaitExit(50), p::output);
            assertTrue(p.stderr().contains("frame length 60 < 64"), p::output);
        }
    }
}
