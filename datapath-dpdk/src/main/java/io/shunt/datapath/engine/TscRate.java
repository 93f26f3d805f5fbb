package io.shunt.datapath.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The TSC frequency that turns busy nanoseconds into the cycles OVS's {@code pmd-stats-show}
 * prints. Java cannot read the TSC, so the rate is found once, in this order:
 * <ol>
 *   <li>the system property {@code shunt.tsc.ghz} (an operator who knows better);</li>
 *   <li>{@code /proc/cpuinfo}'s {@code cpu MHz} when the CPU flags say {@code constant_tsc} and
 *       {@code tsc_known_freq}: the kernel took the TSC rate from CPUID or the hypervisor and
 *       reports it there (on this project's VMs, 2096.022 MHz, which OVS's own PMD cycles over
 *       wall time confirmed);</li>
 *   <li>otherwise 2.45 GHz, the figure ../shared/FACTS.md gives for these machines, marked as
 *       assumed.</li>
 * </ol>
 */
public record TscRate(double ghz, String source) {
    /** The rate of this machine, found at class initialisation. */
    public static final TscRate MACHINE = detect(System.getProperty("shunt.tsc.ghz"), Path.of("/proc/cpuinfo"));

    static final double ASSUMED_GHZ = 2.45;

    static TscRate detect(String property, Path cpuinfo) {
        if (property != null && !property.isBlank()) {
            try {
                double ghz = Double.parseDouble(property.trim());
                if (ghz > 0 && ghz < 100) {
                    return new TscRate(ghz, "shunt.tsc.ghz");
                }
            } catch (NumberFormatException ignored) {
                // fall through to detection; the source string says what was used
            }
        }
        try {
            return fromCpuinfo(Files.readAllLines(cpuinfo));
        } catch (IOException | RuntimeException e) {
            return new TscRate(ASSUMED_GHZ, "assumed (no " + cpuinfo + ")");
        }
    }

    static TscRate fromCpuinfo(List<String> lines) {
        String flags = null;
        Double mhz = null;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (key.equals("flags") && flags == null) {
                flags = " " + value + " ";
            } else if (key.equals("cpu mhz") && mhz == null) {
                mhz = Double.parseDouble(value);
            }
        }
        if (flags != null && mhz != null && mhz > 0
                && flags.contains(" constant_tsc ") && flags.contains(" tsc_known_freq ")) {
            return new TscRate(mhz / 1000.0, "/proc/cpuinfo cpu MHz (constant_tsc, tsc_known_freq)");
        }
        return new TscRate(ASSUMED_GHZ, "assumed (TSC rate not known from /proc/cpuinfo)");
    }
}
