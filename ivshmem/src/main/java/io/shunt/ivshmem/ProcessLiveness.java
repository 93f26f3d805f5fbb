package io.shunt.ivshmem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the process that wrote a pid file still runs (contract-links.md section 1: an entry
 * whose {@code /proc/<pid>} is missing is ignored). Stricter than that rule in two ways: a
 * zombie (state Z or X in {@code /proc/<pid>/stat}) is dead, and a process that started
 * after the pid file was written is a later process that reuses the pid, not the VNF.
 */
final class ProcessLiveness {
    /** Slack between the start time the kernel reports (clock ticks) and file times. */
    private static final Duration START_SLACK = Duration.ofSeconds(2);
    private static final Path PROC = Path.of("/proc");

    private ProcessLiveness() {
    }

    static boolean isAlive(long pid, Instant pidFileWritten) {
        if (pid <= 0) {
            return false;
        }
        String stat;
        try {
            stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            // /proc/<pid> exists but is unreadable (another user's process under hidepid): the rule is existence
            return Files.exists(PROC.resolve(Long.toString(pid)));
        }
        // "pid (comm) S ...": comm may hold spaces or parentheses, so the state follows the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return false;
        }
        char state = stat.charAt(close + 2);
        if (state == 'Z' || state == 'X' || state == 'x') {
            return false;
        }
        Optional<Instant> started = ProcessHandle.of(pid).flatMap(p -> p.info().startInstant());
        return started.isEmpty() || !started.get().isAfter(pidFileWritten.plus(START_SLACK));
    }
}
