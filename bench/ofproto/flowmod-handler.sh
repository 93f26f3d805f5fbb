#!/usr/bin/env bash
# FLOW_MOD handling rate of ofproto's OpenFlowSwitch in process (no channel,
# no codec): adds one message each, and non-strict modifies at 100k rules
# against the strict-modify anchor. The end-to-end rate through ovs-ofctl is
# bench/ofproto/flowmods.sh.
#
# Usage: bench/ofproto/flowmod-handler.sh
# Output: a table on stdout; bench/results/ofproto-flowmod-handler.json (+ PNG)
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_init flowmod
bench_jmh_lock 1

bench_module_classpath ofproto

echo "== machine load before the run: $(bench_load)"
java "${JMH_LOCK[@]}" -cp "$CP" org.openjdk.jmh.Main 'io.shunt.ofproto.bench.FlowModBench' -f 1 -rf json \
  -rff "$RESULTS/ofproto-flowmod-handler.json"
"$BENCH_PYTHON" - "$RESULTS/ofproto-flowmod-handler.json" <<'PY'
import json, sys
rows = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"]["score"] for r in json.load(open(sys.argv[1]))}
for k, v in rows.items():
    print("%-24s %12.0f ops/s" % (k, v))
print("non-strict / strict modify at 100k rules: %.2f" % (rows["modifyNonStrictAt100k"] / rows["modifyStrictAnchor"]))
PY
bench_plot jmh "$RESULTS/ofproto-flowmod-handler.json" "$RESULTS/ofproto-flowmod-handler.png" \
  --title "ofproto FLOW_MOD handling (ops/s)"
