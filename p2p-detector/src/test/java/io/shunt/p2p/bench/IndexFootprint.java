package io.shunt.p2p.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.p2p.DirectPathDetector;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap bytes per flow entry held by the detector's indexes, measured as the heap delta
 * (after full GCs) of loading a {@link BenchTable} into a fresh detector; the
 * {@link io.shunt.p2p.model.FlowEntry} records themselves exist before and are measured
 * apart (the agent may share them). Run with {@code -XX:+UseSerialGC} for stable figures.
 * Writes {@code {"title","unit","series":[...]}} to {@code args[0]} for {@code bench/plot.py series}.
 */
public final class IndexFootprint {

    private IndexFootprint() {
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    public static void main(String[] args) throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("title", "p2p-detector heap per flow entry");
        root.put("unit", "bytes/entry");
        ArrayNode series = root.putArray("series");
        ArrayNode index = series.addObject().put("name", "detector indexes").putArray("points");
        ArrayNode model = series.addObject().put("name", "FlowEntry model records").putArray("points");
        System.out.printf("%10s %22s %22s%n", "entries", "index bytes/entry", "model bytes/entry");
        for (int size : new int[] {1_000, 10_000, 100_000, 1_000_000}) {
            long base = usedAfterGc(memory);
            BenchTable table = new BenchTable(size, 42);
            long withModel = usedAfterGc(memory);
            DirectPathDetector detector = table.load(new DirectPathDetector(e -> { }));
            long withIndex = usedAfterGc(memory);
            double indexPerEntry = (double) (withIndex - withModel) / size;
            double modelPerEntry = (double) (withModel - base) / size;
            if (detector.entryCount() != table.entries.size()) {
                throw new IllegalStateException("detector holds " + detector.entryCount() + " entries, table " + size);
            }
            System.out.printf("%10d %22.1f %22.1f%n", size, indexPerEntry, modelPerEntry);
            index.addObject().put("x", size).put("y", Math.round(indexPerEntry * 10) / 10.0);
            model.addObject().put("x", size).put("y", Math.round(modelPerEntry * 10) / 10.0);
            // Keep both alive until measured.
            if (table.entries.isEmpty() || detector.paths().isEmpty()) {
                throw new IllegalStateException("empty table");
            }
        }
        File out = new File(args.length > 0 ? args[0] : "p2p-detector-memory.json");
        json.writerWithDefaultPrettyPrinter().writeValue(out, root);
    }
}
