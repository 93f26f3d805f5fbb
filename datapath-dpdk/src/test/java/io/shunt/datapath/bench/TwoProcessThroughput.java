package io.shunt.datapath.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.shunt.datapath.buffer.BufferLayout;
import io.shunt.datapath.device.DeviceDirectoryLayout;
import io.shunt.datapath.guest.GuestOptions;
import io.shunt.datapath.guest.GuestPort;
import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.pool.PoolCache;
import io.shunt.datapath.port.LinkDirection;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionNames;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.datapath.ring.BackOff;
import io.shunt.datapath.ring.RingLayout;
import io.shunt.datapath.ring.SpscRing;

/**
 * Packets per second between two processes, each 64-byte frame written by the producer and
 * read by the consumer: the production port ring (pool allocation through per-thread
 * caches, metadata, byte counters, consumer-side checks, frees back across processes)
 * against the in-run anchor, a {@link BareSpscRing} of indices into the same kind of
 * buffer area, with no pool, counters or checks. A third variant, {@code spsc}, runs the
 * anchor's exact loop on the production {@link SpscRing} (indices checked against the
 * buffer count, counters kept): the ring against the ring. A fourth, {@code link}, is the
 * direct-link path as a VNF sees it: {@link GuestPort#txBurst} in one process onto a link
 * ring plugged through the process device directory, {@link GuestPort#rxBurst} in the other
 * (which polls its empty rx ring beside the link ring, as a real receiver does). Variants
 * alternate within one run; the ratios spsc/bare, port/bare and link/bare are what to read
 * (the machine is shared and noisy).
 *
 * <p>Usage: {@code TwoProcessThroughput DIR ROUNDS PACKETS OUT.json [HEADROOM]} runs the
 * comparison (DIR: /dev/shm or a hugetlbfs mount; HEADROOM: pool headroom, default 128) and writes the series JSON of bench/plot.py. The
 * roles {@code produce} and {@code consume} are its child processes.
 */
public final class TwoProcessThroughput {
    private static final int CAPACITY = 1024;
    private static final int BUFFERS = 8192;
    private static final int BURST = 32;
    private static final int FRAME = 64;
    /** Packets each side handles before the timed part, so both JITs are warm. */
    private static final long WARMUP = 5_000_000;

    private TwoProcessThroughput() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "produce" -> produce(args[1], Path.of(args[2]), Long.parseLong(args[3]));
            case "consume" -> consume(args[1], Path.of(args[2]), Long.parseLong(args[3]));
            default -> compare(Path.of(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]), Path.of(args[3]),
                    args.length > 4 ? Integer.parseInt(args[4]) : BufferLayout.DEFAULT_HEADROOM);
        }
    }

    private static void compare(Path parent, int rounds, long packets, Path out, int headroom) throws Exception {
        Map<String, List<Run>> results = new LinkedHashMap<>();
        results.put("bare", new ArrayList<>());
        results.put("spsc", new ArrayList<>());
        results.put("port", new ArrayList<>());
        results.put("link", new ArrayList<>());
        for (int round = 0; round < rounds; round++) {
            for (String variant : results.keySet()) {
                Path dir = Files.createTempDirectory(parent, "shunt-bench-");
                try {
                    Run run = runOnce(variant, dir, packets, headroom);
                    results.get(variant).add(run);
                    System.out.printf(Locale.ROOT, "round %d %-4s %8.2f Mpps, CPU per packet: producer %.1f ns,"
                            + " consumer %.1f ns%n", round, variant, run.mpps(), run.producerCpuNs(), run.consumerCpuNs());
                } finally {
                    try (var files = Files.walk(dir)) {
                        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
        }
        double bare = median(results.get("bare").stream().map(Run::mpps).toList());
        double port = median(results.get("port").stream().map(Run::mpps).toList());
        double spsc = median(results.get("spsc").stream().map(Run::mpps).toList());
        double link = median(results.get("link").stream().map(Run::mpps).toList());
        double linkRatio = link / bare;
        double ratio = port / bare;
        double ringRatio = spsc / bare;
        double bareCpu = median(results.get("bare").stream().map(r -> r.producerCpuNs() + r.consumerCpuNs()).toList());
        double portCpu = median(results.get("port").stream().map(r -> r.producerCpuNs() + r.consumerCpuNs()).toList());
        double linkCpu = median(results.get("link").stream().map(r -> r.producerCpuNs() + r.consumerCpuNs()).toList());
        System.out.printf(Locale.ROOT, "median: bare %.2f Mpps, spsc %.2f Mpps, port %.2f Mpps;"
                + " ring spsc/bare %.2fx (goal >= 0.8x), whole port path port/bare %.2fx%n", bare, spsc, port, ringRatio, ratio);
        System.out.printf(Locale.ROOT, "median: link %.2f Mpps; direct link through the guest shim link/bare %.2fx"
                + " (goal >= 0.8x)%n", link, linkRatio);
        System.out.printf(Locale.ROOT, "median CPU per packet, both sides: bare %.1f ns, port %.1f ns,"
                + " throughput-equivalent ratio bare/port %.2fx%n", bareCpu, portCpu, bareCpu / portCpu);
        System.out.printf(Locale.ROOT, "median CPU per packet, both sides: link %.1f ns, throughput-equivalent ratio"
                + " bare/link %.2fx%n", linkCpu, bareCpu / linkCpu);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("title", "Two processes, 64-byte frames written and read, " + parent);
        document.put("unit", "Mpps");
        document.put("x_label", "round");
        document.put("headroom_bytes", headroom);
        document.put("ratio_port_over_bare", ratio);
        document.put("ratio_spsc_over_bare", ringRatio);
        document.put("ratio_link_over_bare", linkRatio);
        document.put("cpu_ns_per_packet_both_sides", Map.of("bare", bareCpu, "port", portCpu, "link", linkCpu));
        document.put("cpu_ratio_bare_over_link", bareCpu / linkCpu);
        document.put("load_average_after", Files.readString(Path.of("/proc/loadavg")).trim());
        List<Map<String, Object>> series = new ArrayList<>();
        for (var entry : results.entrySet()) {
            List<Map<String, Object>> points = new ArrayList<>();
            for (int i = 0; i < entry.getValue().size(); i++) {
                Run run = entry.getValue().get(i);
                points.add(Map.of("x", i, "y", run.mpps(), "producer_cpu_ns", run.producerCpuNs(),
                        "consumer_cpu_ns", run.consumerCpuNs()));
            }
            series.add(Map.of("name", entry.getKey(), "points", points));
        }
        document.put("series", series);
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), document);
        System.out.println("wrote " + out);
    }

    /** One measured run: consumer-side Mpps, and CPU nanoseconds per packet of each side (backing off included). */
    private record Run(double mpps, double producerCpuNs, double consumerCpuNs) {
    }

    private static double value(String output, String key) {
        for (String line : output.split("\n")) {
            if (line.startsWith(key + " ")) {
                return Double.parseDouble(line.substring(key.length() + 1).trim());
            }
        }
        throw new IllegalStateException("no " + key + " line in: " + output);
    }

    private static Run runOnce(String variant, Path dir, long packets, int headroom) throws Exception {
        Path ringFile = dir.resolve("port");
        RegionOptions options = RegionOptions.in(dir);
        try (PacketPool pool = PacketPool.create(options, "pool", BUFFERS, headroom, BufferLayout.DEFAULT_DATA_ROOM, 1)) {
            LinkRegion link = null;
            if (variant.equals("port")) {
                PortRegion.create(options, "port", 1, CAPACITY, pool, 1).close();
            } else if (variant.equals("link")) {
                link = plugLink(dir, options, pool);
            } else {
                try (FileChannel channel = FileChannel.open(ringFile, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.READ, StandardOpenOption.WRITE); Arena arena = Arena.ofConfined()) {
                    // Sized through the mapping (ftruncate), which hugetlbfs accepts: round up to its page.
                    long length = Math.max(BareSpscRing.length(CAPACITY), RingLayout.length(CAPACITY));
                    long size = Math.max(length, Files.getFileStore(dir).getBlockSize());
                    MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
                    if (variant.equals("spsc")) {
                        SpscRing.format(memory, 0, CAPACITY);
                    }
                }
            }
            Process consumer = child("consume", variant, dir, packets);
            Process producer = child("produce", variant, dir, packets);
            if (link != null) {
                publishFenceOnceSwitched(link, producer);
            }
            if (!producer.waitFor(300, TimeUnit.SECONDS) || !consumer.waitFor(300, TimeUnit.SECONDS)) {
                producer.destroyForcibly();
                consumer.destroyForcibly();
                throw new IllegalStateException(variant + ": children did not finish within 300 s");
            }
            String result = new String(consumer.getInputStream().readAllBytes());
            String producerOutput = new String(producer.getInputStream().readAllBytes());
            if (consumer.exitValue() != 0 || producer.exitValue() != 0) {
                throw new IllegalStateException(variant + " failed: consumer: " + result + " producer: " + producerOutput);
            }
            if (link != null) {
                link.close();
            }
            return new Run(value(result, "MPPS"), value(producerOutput, "CPU_NS"), value(result, "CPU_NS"));
        }
    }

    /**
     * The link variant's switch side: ports 1 and 2, a link 1 ⇒ 2 plugged into both VNFs'
     * device directories before they start (so the shim finds it when the port attaches) and
     * asked to go direct; the producer then switches at its first burst, at position 0.
     */
    private static LinkRegion plugLink(Path dir, RegionOptions options, PacketPool pool) throws IOException {
        PortRegion.create(options, PortRegionNames.regionName("a"), 1, CAPACITY, pool, 1).close();
        PortRegion.create(options, PortRegionNames.regionName("b"), 2, CAPACITY, pool, 1).close();
        LinkRegion link = LinkRegion.create(options, "shunt-link-bench-1-2-1", 1, 1, 2, 1, CAPACITY, pool);
        for (String vnf : List.of("produce", "consume")) {
            Path devices = Files.createDirectories(DeviceDirectoryLayout.devicesDirectory(dir.resolve("devices"), vnf));
            Files.createSymbolicLink(devices.resolve(link.region().name()), link.region().file());
        }
        link.direction(0).request(LinkDirection.REQUEST_DIRECT);
        return link;
    }

    /** What the switch's gate does at establish step 4; here nothing went through the switch, so the fence is 0. */
    private static void publishFenceOnceSwitched(LinkRegion link, Process producer) throws InterruptedException {
        LinkDirection words = link.direction(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (words.txAck() != LinkDirection.REQUEST_DIRECT) {
            if (System.nanoTime() > deadline || !producer.isAlive()) {
                throw new IllegalStateException("the producer did not switch to the link within 60 s");
            }
            Thread.sleep(1);
        }
        if (words.switchPosition() != 0) {
            throw new IllegalStateException("the producer switched at " + words.switchPosition() + ", expected 0");
        }
        words.publishFence(0);
    }

    private static GuestPort attachGuest(Path dir, String port, String role) throws IOException {
        return GuestPort.attach(dir, port, GuestOptions.defaults().withDeviceRoot(dir.resolve("devices"))
                .withVnfId(role));
    }

    private static Process child(String role, String variant, Path dir, long packets) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), TwoProcessThroughput.class.getName(),
                role, variant, dir.toString(), String.valueOf(packets))
                .redirectErrorStream(true).start();
    }

    private static void produce(String variant, Path dir, long packets) throws Exception {
        long total = WARMUP + packets;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = 0;
        long timedFrom = -1;
        byte[] frame = new byte[FRAME];
        for (int i = 0; i < FRAME; i++) {
            frame[i] = (byte) i;
        }
        int[] burst = new int[BURST];
        BackOff backOff = BackOff.standard();
        if (variant.equals("link")) {
            try (GuestPort port = attachGuest(dir, "a", "produce")) {
                PacketBuffer buffer = port.newBufferView();
                for (long seq = 0; seq < total; ) {
                    int n = port.allocBurst(burst, 0, (int) Math.min(BURST, total - seq));
                    for (int i = 0; i < n; i++) {
                        buffer.wrapNew(burst[i]).length(FRAME).putBytes(0, frame, 0, FRAME).putLong(0, seq + i);
                    }
                    int sent = 0;
                    while (sent < n) {
                        int k = port.txBurst(burst, sent, n - sent);
                        sent += k;
                        backOff.afterRound(k);
                    }
                    if (n == 0) {
                        backOff.idle();
                    }
                    seq += n;
                    if (timedFrom < 0 && seq >= WARMUP) {
                        timedFrom = seq;
                        cpuStart = threads.getCurrentThreadCpuTime();
                    }
                }
                if (port.linkStats().switches() != 1) {
                    throw new IllegalStateException("link variant: the producer never moved onto the link");
                }
            }
            System.out.printf(Locale.ROOT, "CPU_NS %.2f%n",
                    (threads.getCurrentThreadCpuTime() - cpuStart) / (double) (total - timedFrom));
            return;
        }
        try (PacketPool pool = PacketPool.attach(dir.resolve("pool"))) {
            if (variant.equals("port")) {
                try (PortRegion port = PortRegion.attach(dir.resolve("port"))) {
                    SpscRing ring = port.rxRing(pool);
                    PoolCache cache = pool.newCache();
                    PacketBuffer buffer = pool.newBufferView();
                    for (long seq = 0; seq < total; ) {
                        int n = cache.allocBurst(burst, 0, (int) Math.min(BURST, total - seq));
                        for (int i = 0; i < n; i++) {
                            buffer.wrapNew(burst[i]).length(FRAME).putBytes(0, frame, 0, FRAME).putLong(0, seq + i);
                        }
                        int sent = 0;
                        while (sent < n) {
                            int k = ring.enqueueBurst(burst, sent, n - sent);
                            sent += k;
                            backOff.afterRound(k);
                        }
                        if (n == 0) {
                            backOff.idle();
                        }
                        seq += n;
                        if (timedFrom < 0 && seq >= WARMUP) {
                            timedFrom = seq;
                            cpuStart = threads.getCurrentThreadCpuTime();
                        }
                    }
                }
            } else {
                try (FileChannel channel = FileChannel.open(dir.resolve("port"), StandardOpenOption.READ,
                        StandardOpenOption.WRITE); Arena arena = Arena.ofShared()) {
                    IndexRing ring = indexRing(variant, channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena));
                    MemorySegment buffers = pool.buffers();
                    long stride = pool.bufferSize();
                    long data = pool.defaultDataOffset();
                    for (long seq = 0; seq < total; ) {
                        int n = (int) Math.min(BURST, total - seq);
                        for (int i = 0; i < n; i++) {
                            int index = (int) ((seq + i) & (BUFFERS - 1));
                            long at = index * stride + data;
                            MemorySegment.copy(frame, 0, buffers, ValueLayout.JAVA_BYTE, at, FRAME);
                            buffers.set(ValueLayout.JAVA_LONG_UNALIGNED, at, seq + i);
                            burst[i] = index;
                        }
                        int sent = 0;
                        while (sent < n) {
                            int k = ring.enqueueBurst(burst, sent, n - sent);
                            sent += k;
                            backOff.afterRound(k);
                        }
                        seq += n;
                        if (timedFrom < 0 && seq >= WARMUP) {
                            timedFrom = seq;
                            cpuStart = threads.getCurrentThreadCpuTime();
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "CPU_NS %.2f%n",
                (threads.getCurrentThreadCpuTime() - cpuStart) / (double) (total - timedFrom));
    }

    private static void consume(String variant, Path dir, long packets) throws Exception {
        long total = WARMUP + packets;
        int[] burst = new int[BURST];
        byte[] frame = new byte[FRAME];
        BackOff backOff = BackOff.standard();
        long received = 0;
        long checksum = 0;
        long start = 0;
        long timedFrom = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = 0;
        if (variant.equals("link")) {
            try (GuestPort port = attachGuest(dir, "b", "consume")) {
                PacketBuffer buffer = port.newBufferView();
                while (received < total) {
                    int n = port.rxBurst(burst, 0, BURST);
                    backOff.afterRound(n);
                    for (int i = 0; i < n; i++) {
                        buffer.wrap(burst[i]).getBytes(0, frame, 0, buffer.length());
                        if (buffer.getLong(0) != received + i) {
                            throw new IllegalStateException("got " + buffer.getLong(0) + ", expected " + (received + i));
                        }
                        checksum += frame[63];
                    }
                    port.freeBurst(burst, 0, n);
                    received += n;
                    if (start == 0 && received >= WARMUP) {
                        start = System.nanoTime();
                        timedFrom = received;
                        cpuStart = threads.getCurrentThreadCpuTime();
                    }
                }
            }
        } else {
          try (PacketPool pool = PacketPool.attach(dir.resolve("pool"))) {
            if (variant.equals("port")) {
                try (PortRegion port = PortRegion.attach(dir.resolve("port"))) {
                    SpscRing ring = port.rxRing(pool);
                    PoolCache cache = pool.newCache();
                    PacketBuffer buffer = pool.newBufferView();
                    while (received < total) {
                        int n = ring.dequeueBurst(burst, 0, BURST);
                        backOff.afterRound(n);
                        for (int i = 0; i < n; i++) {
                            buffer.wrap(burst[i]).getBytes(0, frame, 0, buffer.length());
                            if (buffer.getLong(0) != received + i) {
                                throw new IllegalStateException("got " + buffer.getLong(0) + ", expected " + (received + i));
                            }
                            checksum += frame[63];
                        }
                        cache.freeBurst(burst, 0, n);
                        received += n;
                        if (start == 0 && received >= WARMUP) {
                            start = System.nanoTime();
                            timedFrom = received;
                            cpuStart = threads.getCurrentThreadCpuTime();
                        }
                    }
                    cache.flush();
                }
            } else {
                try (FileChannel channel = FileChannel.open(dir.resolve("port"), StandardOpenOption.READ,
                        StandardOpenOption.WRITE); Arena arena = Arena.ofShared()) {
                    IndexRing ring = indexRing(variant, channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena));
                    MemorySegment buffers = pool.buffers();
                    long stride = pool.bufferSize();
                    long data = pool.defaultDataOffset();
                    while (received < total) {
                        int n = ring.dequeueBurst(burst, 0, BURST);
                        backOff.afterRound(n);
                        for (int i = 0; i < n; i++) {
                            long at = burst[i] * stride + data;
                            MemorySegment.copy(buffers, ValueLayout.JAVA_BYTE, at, frame, 0, FRAME);
                            if (buffers.get(ValueLayout.JAVA_LONG_UNALIGNED, at) != received + i) {
                                throw new IllegalStateException(variant + ": wrong sequence at " + (received + i));
                            }
                            checksum += frame[63];
                        }
                        received += n;
                        if (start == 0 && received >= WARMUP) {
                            start = System.nanoTime();
                            timedFrom = received;
                            cpuStart = threads.getCurrentThreadCpuTime();
                        }
                    }
                }
            }
          }
        }
        long elapsed = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        System.out.println("checksum " + checksum);
        System.out.printf(Locale.ROOT, "MPPS %.3f%n", (total - timedFrom) * 1e3 / elapsed);
        System.out.printf(Locale.ROOT, "CPU_NS %.2f%n", cpu / (double) (total - timedFrom));
    }

    /** The anchor, or the production ring carrying plain indices below the buffer count. */
    private static IndexRing indexRing(String variant, MemorySegment memory) {
        if (variant.equals("bare")) {
            return new BareSpscRing(memory, CAPACITY);
        }
        SpscRing ring = SpscRing.attach(memory, 0, memory.byteSize(), BUFFERS, null);
        return new IndexRing() {
            @Override
            public int enqueueBurst(int[] src, int offset, int n) {
                return ring.enqueueBurst(src, offset, n);
            }

            @Override
            public int dequeueBurst(int[] dst, int offset, int max) {
                return ring.dequeueBurst(dst, offset, max);
            }
        };
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
