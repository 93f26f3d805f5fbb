package io.shunt.vnf;

import java.nio.file.Path;
import java.time.Duration;

import picocli.CommandLine.Option;

/** Options every VNF program takes (a picocli mixin). */
final class CommonOptions {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "/dev/shm",
            description = "Directory of the switch's regions (default: ${DEFAULT-VALUE}).")
    Path regionDirectory;

    @Option(names = "--burst", paramLabel = "N", defaultValue = "32",
            description = "Packets per rx/tx burst (default: ${DEFAULT-VALUE}).")
    int burst;

    @Option(names = "--stats-interval", paramLabel = "DURATION",
            description = "Print progress to stderr at this interval (e.g. 1s, 500ms); off by default.",
            converter = DurationConverter.class)
    Duration statsInterval;

    void validate() {
        if (burst < 1 || burst > 1024) {
            throw new IllegalArgumentException("--burst must be in 1..1024: " + burst);
        }
    }

    long statsIntervalNanos() {
        return statsInterval == null ? 0 : statsInterval.toNanos();
    }
}
