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

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/env.sh"
shunt_find_jdk
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
WORK=$(mktemp -d /tmp/shunt-pipeline.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

(cd "$ROOT" && ./mvnw -B -q -pl ofproto -am test-compile -DskipTests >/dev/null)
(cd "$ROOT" && ./mvnw -B -q -pl ofproto dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null)
CP="$ROOT/ofproto/target/test-classes:$ROOT/ofproto/target/classes:$(cat "$WORK/cp.txt")"

echo "== machine load before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
java -Djmh.ignoreLock=true -cp "$CP" org.openjdk.jmh.Main 'io.shunt.ofproto.bench.PipelineBench' -prof gc -f 1 \
  -rf json -rff "$RESULTS/ofproto-pipeline.json"
python3 - "$RESULTS/ofproto-pipeline.json" <<'PY'
import json, sys
rows = {}
for r in json.load(open(sys.argv[1])):
    alloc = r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))
    rows[r["benchmark"].rsplit(".", 1)[1]] = (r["primaryMetric"]["score"], alloc)
for k, (ns, alloc) in rows.items():
    print("%-32s %8.1f ns/packet %8.3f bytes allocated/packet" % (k, ns, alloc))
print("two tables / single-table anchor: %.2f" % (rows["twoTablesWithGotoAndActionSet"][0] / rows["singleTableAnchor"][0]))
PY
if [ -f "$ROOT/bench/plot.py" ]; then
  /usr/bin/python3 -c "import matplotlib" 2>/dev/null || apt-get install -y -q python3-matplotlib >/dev/null
  /usr/bin/python3 "$ROOT/bench/plot.py" jmh "$RESULTS/ofproto-pipeline.json" "$RESULTS/ofproto-pipeline.png" \
    --title "ofproto pipeline (ns/packet)"
fi
