#!/usr/bin/env bash
# JMH benchmark of the packet-processing core (parser, EMC, megaflow cache) of
# datapath-dpdk. Writes bench/results/datapath-flow.json (JMH JSON), a PNG beside it,
# and prints ns/packet, TSC cycles/packet (FACTS.md: TSC at 2.45 GHz) and the ratio to
# the in-run anchor (touchFrame: reading the 64 bytes of the frame).
# Extra arguments go to JMH, e.g.  bench/datapath/flow.sh -wi 1 -i 2   for a quick run.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_init flow
cd "$ROOT"
bench_matplotlib
bench_jmh_lock 0

bench_module_classpath datapath-dpdk

out=bench/results/datapath-flow.json
echo "machine load before the run: $(bench_load)"
# shellcheck disable=SC2086
java "${JMH_LOCK[@]}" --enable-native-access=ALL-UNNAMED ${SHUNT_JMH_JAVA_OPTS:-} -cp "$CP" org.openjdk.jmh.Main 'io\.shunt\.datapath\.bench\.(FlowBench|EditBench)\.' \
  -rf json -rff "$out" "$@"
echo "machine load after the run: $(bench_load)"

bench_plot jmh "$out" bench/results/datapath-flow.png --title "shunt packet core, ns/packet (JMH)"

"$BENCH_PYTHON" - "$out" <<'PY'
import json, sys
TSC_GHZ = 2.45
runs = json.load(open(sys.argv[1]))
def name(r):
    n = r["benchmark"].rsplit(".", 1)[1]
    p = r.get("params") or {}
    return n + ("[" + ",".join(f"{k}={v}" for k, v in p.items()) + "]" if p else "")
anchor = next((r["primaryMetric"]["score"] for r in runs if r["benchmark"].endswith(".touchFrame")), None)
print(f"{'benchmark':34} {'ns/pkt':>8} {'+/-':>7} {'best it.':>8} {'cycles/pkt':>10} {'best cyc.':>9} {'x anchor':>9}")
for r in runs:
    m = r["primaryMetric"]
    err = m["scoreError"] if isinstance(m["scoreError"], (int, float)) and m["scoreError"] == m["scoreError"] else 0.0
    # the fastest measurement iteration: on shared, noisy vCPUs the least disturbed one
    best = min(v for fork in m["rawData"] for v in fork)
    ratio = f"{m['score'] / anchor:9.1f}" if anchor else "        -"
    print(f"{name(r):34} {m['score']:8.2f} {err:7.2f} {best:8.2f} {m['score'] * TSC_GHZ:10.1f} {best * TSC_GHZ:9.1f} {ratio}")
PY
