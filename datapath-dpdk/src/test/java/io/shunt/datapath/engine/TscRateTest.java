package io.shunt.datapath.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TscRateTest {
    private static final String VM_FLAGS = "flags\t\t: fpu tsc msr constant_tsc rep_good nopl tsc_reliable nonstop_tsc"
            + " cpuid tsc_known_freq pni";

    @Test
    void aKnownTscFrequencyIsTakenFromCpuMhz() {
        TscRate rate = TscRate.fromCpuinfo(List.of("processor\t: 0", "cpu MHz\t\t: 2096.022", VM_FLAGS,
                "processor\t: 1", "cpu MHz\t\t: 1999.000", VM_FLAGS));
        assertEquals(2.096022, rate.ghz(), 1e-9, "the first CPU's entry");
        assertTrue(rate.source().contains("tsc_known_freq"), rate.source());
    }

    @Test
    void withoutTscKnownFreqCpuMhzIsACoreClockAndTheRateIsAssumed() {
        TscRate rate = TscRate.fromCpuinfo(List.of("cpu MHz\t\t: 3400.000",
                "flags\t\t: fpu tsc constant_tsc nonstop_tsc"));
        assertEquals(TscRate.ASSUMED_GHZ, rate.ghz());
        assertTrue(rate.source().startsWith("assumed"), rate.source());
    }

    @Test
    void thePropertyWinsAndABadOneIsIgnored(@TempDir Path dir) throws Exception {
        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"), "cpu MHz\t\t: 2096.022\n" + VM_FLAGS + "\n");
        assertEquals(new TscRate(2.6, "shunt.tsc.ghz"), TscRate.detect("2.6", cpuinfo));
        assertEquals(2.096022, TscRate.detect("fast", cpuinfo).ghz(), 1e-9);
        assertEquals(TscRate.ASSUMED_GHZ, TscRate.detect(null, dir.resolve("missing")).ghz());
    }
}
