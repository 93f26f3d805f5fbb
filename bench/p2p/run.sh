#!/usr/bin/env bash
# JMH benchmark of the p2p-detector: cost per flow-mod at 1k..1M entries against the
# brute-force oracle (the in-run anchor), and heap bytes per entry of its indexes.
# Writes bench/results/p2p-detector.json (JMH JSON, oracle included),
# p2p-detector-flowmod.json and p2p-detector-memory.json (plot.py series) and their PNGs. Short by default; see P2pBench for the knobs,
# e.g. P2P_JAVA_OPTS="-Dp2p.sizes=1000,100000 -Dp2p.iterations=3".
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_init p2p
cd "$ROOT"
bench_jmh_lock 0
mkdir -p "$ROOT/bench/work"

bench_module_classpath p2p-detector

echo "machine load before the run: $(bench_load)"
# shellcheck disable=SC2086
java "${JMH_LOCK[@]}" ${P2P_JAVA_OPTS:-} -cp "$CP" io.shunt.p2p.bench.P2pBench "$RESULTS/p2p-detector.json" \
    "$RESULTS/p2p-detector-flowmod.json" \
    | tee "$ROOT/bench/work/p2p-detector-jmh.log"
java -XX:+UseSerialGC -Xmx4g -cp "$CP" io.shunt.p2p.bench.IndexFootprint "$RESULTS/p2p-detector-memory.json"
echo "machine load after the run: $(bench_load)"

# The oracle is 10^2..10^6 times slower: on one linear axis the detector's bars vanish,
# so the PNG shows the detector's series; the oracle and the ratios are printed above and
# kept in p2p-detector-flowmod.json ("anchor").
bench_plot series "$RESULTS/p2p-detector-flowmod.json" "$RESULTS/p2p-detector.png"
bench_plot series "$RESULTS/p2p-detector-memory.json" "$RESULTS/p2p-detector-memory.png"
