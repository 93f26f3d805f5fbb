package io.shunt.datapath.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.shunt.datapath.device.DeviceDirectoryLayout;

/**
 * How long after a plug (symlink renamed into {@code devices/}, as the compute agent does) a
 * waiting thread learns of it: through the JDK's {@link WatchService} (what the guest shim's
 * device watcher uses; on Linux an inotify descriptor read by a JDK background thread that
 * then wakes the waiter) and through inotify called directly with FFM (one blocking
 * {@code read}, no hand-off). The time is from just before the {@code rename} to the moment
 * the waiting thread runs; the two mechanisms alternate in blocks within one run.
 *
 * <p>Usage: {@code DeviceEventLatency DIR SAMPLES OUT.json} (DIR: a tmpfs directory such as
 * /dev/shm). Needs {@code --enable-native-access=ALL-UNNAMED}.
 */
public final class DeviceEventLatency {
    private static final int IN_MOVED_TO = 0x80;
    private static final int IN_CREATE = 0x100;
    private static final int IN_CLOEXEC = 0x80000;

    private DeviceEventLatency() {
    }

    public static void main(String[] args) throws Throwable {
        Path parent = Path.of(args[0]);
        int samples = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        Path dir = Files.createTempDirectory(parent, "shunt-device-latency-");
        Path target = Files.writeString(dir.resolve("region"), "x");
        Path devices = Files.createDirectories(dir.resolve("devices"));
        List<Double> watchService = new ArrayList<>();
        List<Double> inotify = new ArrayList<>();
        try {
            int blocks = 10;
            for (int b = 0; b < blocks; b++) {
                watchService.addAll(measureWatchService(devices, target, samples / blocks));
                inotify.addAll(measureInotify(devices, target, samples / blocks));
            }
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("title", "Plug event latency (rename into devices/ -> waiting thread runs), " + parent);
        document.put("unit", "microseconds");
        document.put("x_label", "percentile");
        document.put("load_average_after", Files.readString(Path.of("/proc/loadavg")).trim());
        List<Map<String, Object>> series = new ArrayList<>();
        for (var entry : Map.of("JDK WatchService", watchService, "inotify via FFM", inotify).entrySet()) {
            double[] sorted = entry.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            List<Map<String, Object>> points = new ArrayList<>();
            for (int p : new int[] {50, 90, 99}) {
                points.add(Map.of("x", p, "y", percentile(sorted, p)));
            }
            series.add(Map.of("name", entry.getKey(), "points", points));
            System.out.printf(Locale.ROOT, "%-17s p50 %7.1f us, p90 %7.1f us, p99 %7.1f us (%d samples)%n",
                    entry.getKey(), percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                    sorted.length);
        }
        document.put("series", series);
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), document);
        System.out.println("wrote " + out);
    }

    private static List<Double> measureWatchService(Path devices, Path target, int samples) throws Exception {
        List<Double> micros = new ArrayList<>();
        try (WatchService service = devices.getFileSystem().newWatchService()) {
            devices.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
            SynchronousQueue<Long> woke = new SynchronousQueue<>();
            Thread waiter = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        WatchKey key = service.take();
                        long now = System.nanoTime();
                        // Only renames into the directory are plugs (the temporary symlink's creation is not).
                        boolean created = key.pollEvents().stream()
                                .anyMatch(e -> e.kind() == StandardWatchEventKinds.ENTRY_CREATE
                                        && !DeviceDirectoryLayout.isTemporary(e.context().toString()));
                        key.reset();
                        if (created) {
                            woke.put(now);
                        }
                    }
                } catch (Exception e) {
                    // closed: done
                }
            });
            for (int i = 0; i < samples; i++) {
                micros.add(plugAndWait(devices, target, i, woke));
            }
            waiter.interrupt();
        }
        return micros;
    }

    private static List<Double> measureInotify(Path devices, Path target, int samples) throws Throwable {
        Linker linker = Linker.nativeLinker();
        var lookup = linker.defaultLookup();
        MethodHandle init = linker.downcallHandle(lookup.find("inotify_init1").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        MethodHandle addWatch = linker.downcallHandle(lookup.find("inotify_add_watch").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_INT));
        MethodHandle read = linker.downcallHandle(lookup.find("read").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_LONG));
        MethodHandle close = linker.downcallHandle(lookup.find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        int fd = (int) init.invokeExact(IN_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("inotify_init1 failed");
        }
        List<Double> micros = new ArrayList<>();
        try (Arena arena = Arena.ofShared()) {
            int wd = (int) addWatch.invokeExact(fd, arena.allocateFrom(devices.toString()), IN_MOVED_TO | IN_CREATE);
            if (wd < 0) {
                throw new IllegalStateException("inotify_add_watch " + devices + " failed");
            }
            MemorySegment buffer = arena.allocate(4096, 8);
            SynchronousQueue<Long> woke = new SynchronousQueue<>();
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread waiter = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (!done.get()) {
                        long n = (long) read.invokeExact(fd, buffer, 4096L);
                        long now = System.nanoTime();
                        if (n <= 0) {
                            return;
                        }
                        // Only renames into the directory are plugs (the temporary symlink's IN_CREATE is not).
                        boolean moved = false;
                        for (long at = 0; at < n; ) {
                            int mask = buffer.get(ValueLayout.JAVA_INT, at + 4);
                            int length = buffer.get(ValueLayout.JAVA_INT, at + 12);
                            moved |= (mask & IN_MOVED_TO) != 0;
                            at += 16 + length;
                        }
                        if (moved) {
                            woke.put(now);
                        }
                    }
                } catch (Throwable e) {
                    // closed: done
                }
            });
            for (int i = 0; i < samples; i++) {
                micros.add(plugAndWait(devices, target, i, woke));
            }
            // A last event wakes the blocked read (closing the descriptor would not), then the arena may close.
            done.set(true);
            Files.createSymbolicLink(devices.resolve("wake"), target);
            Files.delete(devices.resolve("wake"));
            waiter.join(5_000);
            int ignored = (int) close.invokeExact(fd);
        }
        return micros;
    }

    /** One plug as the agent does it (symlink, rename), the waiter's wake-up time, then the unplug. */
    private static double plugAndWait(Path devices, Path target, int i, SynchronousQueue<Long> woke) throws Exception {
        String name = "shunt-link-br0-1-2-" + i;
        Path temporary = devices.resolve(DeviceDirectoryLayout.temporaryName(name));
        Files.createSymbolicLink(temporary, target);
        Thread.sleep(2);
        long start = System.nanoTime();
        Files.move(temporary, devices.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Long at = woke.poll(5, TimeUnit.SECONDS);
        if (at == null) {
            throw new IllegalStateException("no event for " + name + " within 5 s");
        }
        Files.delete(devices.resolve(name));
        Thread.sleep(2);
        return (at - start) / 1_000.0;
    }

    private static double percentile(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
