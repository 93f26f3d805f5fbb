#!/usr/bin/env bash
# Datapath benchmarks (datapath-dpdk): JMH ring and pool bursts, then the two-process
# throughput comparison against the in-run anchor, then (if dpdk-test is installed)
# DPDK's ring_perf_autotest beside our figures. JSON goes to bench/results/, PNGs too
# when bench/plot.py is present.
#
#   bench/datapath/run.sh            full run (about 6 minutes)
#   QUICK=1 bench/datapath/run.sh    short run while others use the machine
#
# The machine is shared: read ratios measured in one run, not absolute figures, and
# note the load average printed at the end beside any figure you quote.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_init datapath
cd "$ROOT"
if [ "${QUICK:-0}" = 1 ]; then
  jmh_args=(-wi 2 -i 3 -w 500ms -r 500ms -f 1)
  rounds=2; packets=10000000
else
  jmh_args=(-wi 3 -i 5 -w 1s -r 1s -f 1)
  rounds=5; packets=50000000
fi

bench_module_classpath datapath-dpdk
java_run=(java --enable-native-access=ALL-UNNAMED -cp "$CP")
# JMH refuses to start while another JMH holds /tmp/jmh.lock; on a machine shared with
# other benchmark runs, JMH_IGNORE_LOCK=1 runs anyway (then say so beside the figures).
bench_jmh_lock 0

echo "== JMH: ring bursts and pool bursts (same thread, /dev/shm)"
java "${JMH_LOCK[@]}" --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main 'io.shunt.datapath.bench.(RingBurstBenchmark|PoolBurstBenchmark)' \
  "${jmh_args[@]}" -rf json -rff "$RESULTS/datapath-jmh.json"
"$BENCH_PYTHON" bench/datapath/jmh_ratio.py "$RESULTS/datapath-jmh.json"

echo "== Two processes, 64-byte frames: port ring vs bare anchor, /dev/shm"
"${java_run[@]}" io.shunt.datapath.bench.TwoProcessThroughput /dev/shm "$rounds" "$packets" \
  "$RESULTS/datapath-two-process-shm.json"
if grep -qs ' /dev/hugepages hugetlbfs ' /proc/mounts; then
  echo "== Two processes, 64-byte frames: port ring vs bare anchor, hugetlbfs"
  "${java_run[@]}" io.shunt.datapath.bench.TwoProcessThroughput /dev/hugepages "$rounds" "$packets" \
    "$RESULTS/datapath-two-process-hugetlbfs.json"
else
  echo "== hugetlbfs not mounted on /dev/hugepages: two-process run on hugetlbfs skipped"
fi

if command -v dpdk-test >/dev/null; then
  bench/datapath/dpdk-ring-perf.sh "$RESULTS/datapath-jmh.json" "$RESULTS/datapath-vs-dpdk.json"
else
  echo "== dpdk-test not installed (Debian 12: apt-get install dpdk-dev): DPDK comparison skipped"
fi

bench_plot jmh "$RESULTS/datapath-jmh.json" "$RESULTS/datapath-jmh.png" --title "datapath ring and pool bursts (ns/op)"
for f in "$RESULTS"/datapath-two-process-*.json "$RESULTS/datapath-vs-dpdk.json"; do
  if [ -f "$f" ]; then bench_plot series "$f" "${f%.json}.png"; fi
done
echo "load average at the end: $(bench_load)"
