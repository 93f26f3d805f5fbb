#!/usr/bin/env bash
# Compute agent benchmark (compute-agent, AgentPlugBenchmark): one plug + unplug of a link
# device for a process VNF through AgentClient and the agent's HTTP server, beside two
# anchors from the same run: an HTTP round trip that does no work (health) and the device
# entry written and removed without HTTP or checks (entryOnly). Prints p50/p99 and the
# ratios; JSON and PNG go to bench/results/agent-plug-jmh.{json,png}.
#
#   bench/agent/run.sh            full run (about 1 minute)
#   QUICK=1 bench/agent/run.sh    short run while others use the machine
#
# The machine is shared: read the ratios, and note the load average printed at the end.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_init agent
cd "$ROOT"
if [ "${QUICK:-0}" = 1 ]; then
  jmh_args=(-wi 2 -i 3 -w 1s -r 1s -f 1)
else
  jmh_args=(-wi 3 -i 5 -w 2s -r 2s -f 1)
fi
# compute-agent depends on sibling modules, which are not installed in ~/.m2: resolve the
# classpath in the same reactor run that compiles them (they resolve to target/classes).
(./mvnw -B -q -pl compute-agent -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/compute-agent-classpath.txt")
CP="$ROOT/compute-agent/target/test-classes:$ROOT/compute-agent/target/classes:$(cat "$WORK/compute-agent-classpath.txt")"
bench_jmh_lock 0
echo "machine load before the run: $(bench_load)"
java "${JMH_LOCK[@]}" --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main \
  'io.shunt.agent.bench.AgentPlugBenchmark' "${jmh_args[@]}" -rf json -rff "$RESULTS/agent-plug-jmh.json"

"$BENCH_PYTHON" - "$RESULTS/agent-plug-jmh.json" "$RESULTS/agent-plug-percentiles.json" "$(bench_load)" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
p = {}
for row in rows:
    name = row["benchmark"].rsplit(".", 1)[-1]
    m = row["primaryMetric"]
    p[name] = (m["score"], m["scorePercentiles"]["50.0"], m["scorePercentiles"]["99.0"], m["scoreUnit"])
    print(f"{name:14s} mean {m['score']:9.1f}  p50 {p[name][1]:9.1f}  p99 {p[name][2]:9.1f} {m['scoreUnit']}")
if {"plugAndUnplug", "health", "entryOnly"} <= p.keys():
    plug, health, entry = p["plugAndUnplug"], p["health"], p["entryOnly"]
    # plugAndUnplug is two HTTP requests: compare with two health round trips.
    print(f"plug+unplug p50 / (2 x health p50) anchor: {plug[1] / (2 * health[1]):.2f}x")
    print(f"plug+unplug p50 / entryOnly p50 anchor:   {plug[1] / entry[1]:.2f}x")
# Percentiles, not means: on a shared machine a few scheduling stalls make the mean meaningless.
order = [n for n in ("entryOnly", "health", "plugAndUnplug") if n in p]
json.dump({"title": f"agent plug+unplug vs anchors (load {sys.argv[3].split()[0]}, 2 cores)", "unit": "us/op",
           "series": [{"name": q, "points": [{"x": n, "y": p[n][i]} for n in order]}
                      for q, i in (("p50", 1), ("p99", 2))]},
          open(sys.argv[2], "w"), indent=1)
PY
bench_plot series "$RESULTS/agent-plug-percentiles.json" "$RESULTS/agent-plug-percentiles.png"
echo "load average at the end: $(bench_load)"
