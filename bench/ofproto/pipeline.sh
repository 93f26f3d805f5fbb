#!/usr/bin/env bash
# One packet through ofproto's OpenFlow pipeline (FlowTables.run, what a
# datapath calls per packet or per cache miss): two tables with goto,
# write-metadata and the action set over 100,000 routes, against a
# single-table anchor; with JMH's gc profiler, which reports the bytes
# allocated per packet (none expected).
#
# Usage: bench/ofproto/pipeline.sh
# Output: a table on stdout; bench/results/ofproto-pipeline.json (+ PNG)
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_init pipeline
bench_jmh_lock 1

bench_module_classpath ofproto

echo "== machine load before the run: $(bench_load)"
java "${JMH_LOCK[@]}" -cp "$CP" org.openjdk.jmh.Main 'io.shunt.ofproto.bench.PipelineBench' -prof gc -f 1 \
  -rf json -rff "$RESULTS/ofproto-pipeline.json"
"$BENCH_PYTHON" - "$RESULTS/ofproto-pipeline.json" <<'PY'
import json, sys
rows = {}
for r in json.load(open(sys.argv[1])):
    alloc = r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))
    rows[r["benchmark"].rsplit(".", 1)[1]] = (r["primaryMetric"]["score"], alloc)
for k, (ns, alloc) in rows.items():
    print("%-32s %8.1f ns/packet %8.3f bytes allocated/packet" % (k, ns, alloc))
print("two tables / single-table anchor: %.2f" % (rows["twoTablesWithGotoAndActionSet"][0] / rows["singleTableAnchor"][0]))
PY
bench_plot jmh "$RESULTS/ofproto-pipeline.json" "$RESULTS/ofproto-pipeline.png" \
  --title "ofproto pipeline (ns/packet)"
