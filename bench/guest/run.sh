#!/usr/bin/env bash
# Guest shim benchmark (datapath-dpdk, GuestPortBurstBenchmark): what GuestPort adds to a
# VNF's alloc/tx/rx/free burst, against the same work on the rings directly (the anchor).
# JSON and PNG go to bench/results/guest-jmh.{json,png}.
#
#   bench/guest/run.sh            full run (about 1 minute)
#   QUICK=1 bench/guest/run.sh    short run while others use the machine
#
# The machine is shared: read the ratio, and note the load average printed at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. scripts/env.sh
shunt_find_jdk

results="$root/bench/results"
mkdir -p "$results"
if [ "${QUICK:-0}" = 1 ]; then
  jmh_args=(-wi 2 -i 3 -w 500ms -r 500ms -f 1)
else
  jmh_args=(-wi 3 -i 5 -w 1s -r 1s -f 1)
fi
jmh_lock=()
[ "${JMH_IGNORE_LOCK:-0}" = 1 ] && jmh_lock=(-Djmh.ignoreLock=true)

./mvnw -B -q -pl datapath-dpdk -am test-compile
./mvnw -B -q -pl datapath-dpdk dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="datapath-dpdk/target/test-classes:datapath-dpdk/target/classes:$(cat datapath-dpdk/target/bench-classpath.txt)"

java "${jmh_lock[@]}" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main \
  'io.shunt.datapath.bench.GuestPortBurstBenchmark' "${jmh_args[@]}" -rf json -rff "$results/guest-jmh.json"

/usr/bin/python3 - "$results/guest-jmh.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
score = {}
for row in rows:
    p = row["params"]
    score[(p["path"], int(p["burst"]))] = row["primaryMetric"]["score"]
for (path, burst), s in sorted(score.items()):
    print(f"{path:5s} burst {burst:2d}: {s:8.2f} ns/burst, {s / burst:6.2f} ns/packet")
for burst in sorted({b for (_, b) in score}):
    if ("rings", burst) in score and ("shim", burst) in score:
        print(f"burst {burst:2d}: shim / rings anchor time ratio {score[('shim', burst)] / score[('rings', burst)]:.2f}x")
PY

if [ -f bench/plot.py ]; then
  /usr/bin/python3 -c "import matplotlib" 2>/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq python3-matplotlib >/dev/null; }
  /usr/bin/python3 bench/plot.py jmh "$results/guest-jmh.json" "$results/guest-jmh.png" --title "guest shim burst: alloc+tx+rx+free (ns/op)"
fi
echo "load average at the end: $(cat /proc/loadavg)"
