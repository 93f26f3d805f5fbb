package io.shunt.p2p.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs {@link FlowModBenchmark}, writes JMH's JSON to {@code args[0]} and the detector's
 * own figures (µs per flow-mod by table size, the oracle and the ratios in an {@code anchor}
 * object beside the series, so that a linear plot shows the detector's bars) in {@code bench/plot.py series} form to {@code args[1]}, and prints, per
 * table size, the anchor ratios: oracle recomputation over detector change, and the growth of
 * the detector's cost from 1k entries. Short by default (the machine is shared); system
 * properties {@code p2p.forks}, {@code p2p.warmups}, {@code p2p.iterations},
 * {@code p2p.seconds}, {@code p2p.sizes} (comma-separated) override.
 */
public final class P2pBench {

    private P2pBench() {
    }

    private static double medianOfIterations(RunResult r) {
        List<Double> scores = new ArrayList<>();
        for (BenchmarkResult fork : r.getBenchmarkResults()) {
            for (IterationResult it : fork.getIterationResults()) {
                scores.add(it.getPrimaryResult().getScore());
            }
        }
        Collections.sort(scores);
        int n = scores.size();
        return n % 2 == 1 ? scores.get(n / 2) : (scores.get(n / 2 - 1) + scores.get(n / 2)) / 2;
    }

    public static void main(String[] args) throws RunnerException, IOException {
        String out = args.length > 0 ? args[0] : "p2p-detector.json";
        TimeValue time = TimeValue.milliseconds(Long.getLong("p2p.millis", 1000));
        Options options = new OptionsBuilder()
                .include(FlowModBenchmark.class.getName())
                .param("entries", System.getProperty("p2p.sizes", "1000,10000,100000,1000000").split(","))
                .forks(Integer.getInteger("p2p.forks", 2))
                .warmupIterations(Integer.getInteger("p2p.warmups", 2))
                .warmupTime(time)
                .measurementIterations(Integer.getInteger("p2p.iterations", 6))
                .measurementTime(time)
                .jvmArgsAppend("-Xmx6g", "-XX:+UseParallelGC")
                .resultFormat(ResultFormatType.JSON)
                .result(out)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        // The machine is shared: another tenant's burst inflates a few iterations. The median of
        // the measured iterations (all forks) is the robust figure; JMH's mean is printed too.
        Map<String, Map<Integer, Double>> us = new TreeMap<>();
        Map<String, Map<Integer, Double>> means = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            int size = Integer.parseInt(r.getParams().getParam("entries"));
            us.computeIfAbsent(name, n -> new TreeMap<>()).put(size, medianOfIterations(r));
            means.computeIfAbsent(name, n -> new TreeMap<>()).put(size, r.getPrimaryResult().getScore());
        }
        System.out.println();
        System.out.println("p2p-detector: µs per flow-mod, median of iterations (JMH mean in brackets);"
                + " anchor = oracle full recomputation per change");
        System.out.printf("%10s %20s %20s %20s %14s %14s %14s%n", "entries", "unaffected", "affected",
                "wildcard(64)", "oracle", "oracle/affect", "oracle/unaff");
        for (int size : us.getOrDefault("affected", Map.of()).keySet()) {
            boolean complete = true;
            for (String name : new String[] {"unaffected", "affected", "wildcardAffectsAllPorts", "oracleRecompute"}) {
                complete &= us.containsKey(name) && us.get(name).containsKey(size);
            }
            if (!complete) {
                System.out.println(size + ": some benchmarks failed, see above");
                continue;
            }
            double unaffected = us.get("unaffected").get(size);
            double affected = us.get("affected").get(size);
            double wildcard = us.get("wildcardAffectsAllPorts").get(size);
            double oracle = us.get("oracleRecompute").get(size);
            System.out.printf("%10d %9.3f [%8.3f] %9.3f [%8.3f] %9.3f [%8.3f] %14.1f %13.0fx %13.0fx%n", size,
                    unaffected, means.get("unaffected").get(size), affected, means.get("affected").get(size),
                    wildcard, means.get("wildcardAffectsAllPorts").get(size), oracle, oracle / affected, oracle / unaffected);
        }
        if (args.length > 1) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = json.createObjectNode();
            root.put("title", "p2p-detector: µs per flow-mod by table size (64 ports)");
            root.put("unit", "µs/flow-mod");
            ArrayNode series = root.putArray("series");
            for (String name : new String[] {"unaffected", "affected", "wildcardAffectsAllPorts"}) {
                ArrayNode points = series.addObject().put("name", name).putArray("points");
                for (Map.Entry<Integer, Double> e : us.getOrDefault(name, Map.of()).entrySet()) {
                    points.addObject().put("x", e.getKey() >= 1_000_000 ? e.getKey() / 1_000_000 + "M" : e.getKey() / 1000 + "k")
                            .put("y", e.getValue());
                }
            }
            // The in-run anchor beside the series (plot.py ignores it): oracle µs and ratios.
            ObjectNode anchor = root.putObject("anchor");
            anchor.put("what", "oracleRecompute: brute-force recomputation of every port from the whole table, per change");
            for (Map.Entry<Integer, Double> e : us.getOrDefault("oracleRecompute", Map.of()).entrySet()) {
                Double aff = us.getOrDefault("affected", Map.of()).get(e.getKey());
                Double unaff = us.getOrDefault("unaffected", Map.of()).get(e.getKey());
                ObjectNode size = anchor.putObject(String.valueOf(e.getKey()));
                size.put("oracleMicros", e.getValue());
                if (aff != null && unaff != null) {
                    size.put("oracleOverAffected", e.getValue() / aff);
                    size.put("oracleOverUnaffected", e.getValue() / unaff);
                }
            }
            json.writerWithDefaultPrettyPrinter().writeValue(new File(args[1]), root);
        }
        Map<Integer, Double> affected = us.getOrDefault("affected", Map.of());
        Map<Integer, Double> unaffected = us.getOrDefault("unaffected", Map.of());
        if (affected.containsKey(1000) && affected.containsKey(100000)) {
            System.out.printf("growth 1k -> 100k entries: affected %.2fx, unaffected %.2fx (goal <= 2x)%n",
                    affected.get(100000) / affected.get(1000), unaffected.get(100000) / unaffected.get(1000));
        }
    }
}
