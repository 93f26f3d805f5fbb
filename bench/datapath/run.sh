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
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. scripts/env.sh
shunt_find_jdk

results="$root/bench/results"
mkdir -p "$results"
if [ "${QUICK:-0}" = 1 ]; then
  jmh_args=(-wi 2 -i 3 -w 500ms -r 500ms -f 1)
  rounds=2; packets=10000000
else
  jmh_args=(-wi 3 -i 5 -w 1s -r 1s -f 1)
  rounds=5; packets=50000000
fi

./mvnw -B -q -pl datapath-dpdk -am test-compile
./mvnw -B -q -pl datapath-dpdk dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="datapath-dpdk/target/test-classes:datapath-dpdk/target/classes:$(cat datapath-dpdk/target/bench-classpath.txt)"
java_run=(java --enable-native-access=ALL-UNNAMED -cp "$cp")
# JMH refuses to start while another JMH holds /tmp/jmh.lock; on a machine shared with
# other benchmark runs, JMH_IGNORE_LOCK=1 runs anyway (then say so beside the figures).
jmh_lock=()
[ "${JMH_IGNORE_LOCK:-0}" = 1 ] && jmh_lock=(-Djmh.ignoreLock=true)

echo "== JMH: ring bursts and pool bursts (same thread, /dev/shm)"
java "${jmh_lock[@]}" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main 'io.shunt.datapath.bench.(RingBurstBenchmark|PoolBurstBenchmark)' \
  "${jmh_args[@]}" -rf json -rff "$results/datapath-jmh.json"
python3 bench/datapath/jmh_ratio.py "$results/datapath-jmh.json"

echo "== Two processes, 64-byte frames: port ring vs bare anchor, /dev/shm"
"${java_run[@]}" io.shunt.datapath.bench.TwoProcessThroughput /dev/shm "$rounds" "$packets" \
  "$results/datapath-two-process-shm.json"
if grep -qs ' /dev/hugepages hugetlbfs ' /proc/mounts; then
  echo "== Two processes, 64-byte frames: port ring vs bare anchor, hugetlbfs"
  "${java_run[@]}" io.shunt.datapath.bench.TwoProcessThroughput /dev/hugepages "$rounds" "$packets" \
    "$results/datapath-two-process-hugetlbfs.json"
else
  echo "== hugetlbfs not mounted on /dev/hugepages: two-process run on hugetlbfs skipped"
fi

if command -v dpdk-test >/dev/null; then
  bench/datapath/dpdk-ring-perf.sh "$results/datapath-jmh.json" "$results/datapath-vs-dpdk.json"
else
  echo "== dpdk-test not installed (Debian 12: apt-get install dpdk-dev): DPDK comparison skipped"
fi

if [ -f bench/plot.py ]; then
  /usr/bin/python3 -c "import matplotlib" 2>/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq python3-matplotlib >/dev/null; }
  /usr/bin/python3 bench/plot.py jmh "$results/datapath-jmh.json" "$results/datapath-jmh.png" --title "datapath ring and pool bursts (ns/op)"
  for f in "$results"/datapath-two-process-*.json "$results/datapath-vs-dpdk.json"; do
    [ -f "$f" ] && /usr/bin/python3 bench/plot.py series "$f" "${f%.json}.png"
  done
else
  echo "bench/plot.py not present: JSON only in $results"
fi
echo "load average at the end: $(cat /proc/loadavg)"
