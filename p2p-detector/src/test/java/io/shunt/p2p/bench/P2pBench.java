package io.shunt.p2p.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs {@link FlowModBenchmark}, writes JMH's JSON to {@code args[0]}, and prints, per
 * table size, the anchor ratios: oracle recomputation over detector change, and the growth of
 * the detector's cost from 1k entries. Short by default (the machine is shared); system
 * properties {@code p2p.forks}, {@code p2p.warmups}, {@code p2p.iterations},
 * {@code p2p.seconds}, {@code p2p.sizes} (comma-separated) override.
 */
public final class P2pBench {

    private P2pBench() {
    }

    public static void main(String[] args) throws RunnerException {
        String out = args.length > 0 ? args[0] : "p2p-detector.json";
        TimeValue time = TimeValue.milliseconds(Long.getLong("p2p.millis", 1000));
        Options options = new OptionsBuilder()
                .include(FlowModBenchmark.class.getName())
                .param("entries", System.getProperty("p2p.sizes", "1000,10000,100000,1000000").split(","))
                .forks(Integer.getInteger("p2p.forks", 1))
                .warmupIterations(Integer.getInteger("p2p.warmups", 3))
                .warmupTime(time)
                .measurementIterations(Integer.getInteger("p2p.iterations", 5))
                .measurementTime(time)
                .jvmArgsAppend("-Xmx6g", "-XX:+UseParallelGC")
                .resultFormat(ResultFormatType.JSON)
                .result(out)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Map<String, Map<Integer, Double>> us = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            int size = Integer.parseInt(r.getParams().getParam("entries"));
            us.computeIfAbsent(name, n -> new TreeMap<>()).put(size, r.getPrimaryResult().getScore());
        }
        System.out.println();
        System.out.println("p2p-detector: µs per flow-mod; anchor = oracle full recomputation per change");
        System.out.printf("%10s %12s %12s %14s %14s %14s %14s%n", "entries", "unaffected", "affected",
                "wildcard(64)", "oracle", "oracle/affect", "oracle/unaff");
        for (int size : us.getOrDefault("affected", Map.of()).keySet()) {
            double unaffected = us.get("unaffected").get(size);
            double affected = us.get("affected").get(size);
            double wildcard = us.get("wildcardAffectsAllPorts").get(size);
            double oracle = us.get("oracleRecompute").get(size);
            System.out.printf("%10d %12.3f %12.3f %14.3f %14.1f %13.0fx %13.0fx%n", size, unaffected, affected, wildcard,
                    oracle, oracle / affected, oracle / unaffected);
        }
        Map<Integer, Double> affected = us.getOrDefault("affected", Map.of());
        Map<Integer, Double> unaffected = us.getOrDefault("unaffected", Map.of());
        if (affected.containsKey(1000) && affected.containsKey(100000)) {
            System.out.printf("growth 1k -> 100k entries: affected %.2fx, unaffected %.2fx (goal <= 2x)%n",
                    affected.get(100000) / affected.get(1000), unaffected.get(100000) / unaffected.get(1000));
        }
    }
}
