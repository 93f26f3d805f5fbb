package io.shunt.datapath.region;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh directory for one test's regions, under /dev/shm (or under a hugetlbfs mount),
 * removed with everything in it on close. Parallel runs never share region names.
 */
public final class ShmDirectory implements AutoCloseable {
    /** Where the CI setup mounts hugetlbfs. */
    public static final Path HUGEPAGES = Path.of("/dev/hugepages");

    private final Path path;

    private ShmDirectory(Path path) {
        this.path = path;
    }

    /** A new directory under /dev/shm. */
    public static ShmDirectory create() {
        return createUnder(RegionOptions.DEV_SHM);
    }

    /** A new directory under {@code parent}. */
    public static ShmDirectory createUnder(Path parent) {
        try {
            return new ShmDirectory(Files.createTempDirectory(parent, "shunt-test-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Why hugetlbfs cannot be used here, or {@code null} if /dev/hugepages is a hugetlbfs mount with free pages. */
    public static String hugetlbfsUnavailableReason() {
        try {
            if (!Files.isDirectory(HUGEPAGES)) {
                return HUGEPAGES + " does not exist (mount -t hugetlbfs none /dev/hugepages)";
            }
            String type = Files.getFileStore(HUGEPAGES).type();
            if (!"hugetlbfs".equals(type)) {
                return HUGEPAGES + " is " + type + ", not hugetlbfs (mount -t hugetlbfs none /dev/hugepages)";
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("HugePages_Free:") && Long.parseLong(line.split("\\s+")[1]) < 32) {
                    return "fewer than 32 free huge pages (echo 256 > /proc/sys/vm/nr_hugepages): " + line;
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot inspect " + HUGEPAGES + ": " + e;
        }
    }

    public Path path() {
        return path;
    }

    public RegionOptions options() {
        return RegionOptions.in(path);
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
