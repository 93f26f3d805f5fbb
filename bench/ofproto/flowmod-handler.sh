#!/usr/bin/env bash
# FLOW_MOD handling rate of ofproto's OpenFlowSwitch in process (no channel,
# no codec): adds one message each, and non-strict modifies at 100k rules
# against the strict-modify anchor. The end-to-end rate through ovs-ofctl is
# bench/ofproto/flowmods.sh.
#
# Usage: bench/ofproto/flowmod-handler.sh
# Output: a table on stdout; bench/results/ofproto-flowmod-handler.json (+ PNG)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/env.sh"
shunt_find_jdk
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
WORK=$(mktemp -d /tmp/shunt-flowmod.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

(cd "$ROOT" && ./mvnw -B -q -pl ofproto -am test-compile -DskipTests >/dev/null)
(cd "$ROOT" && ./mvnw -B -q -pl ofproto dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null)
CP="$ROOT/ofproto/target/test-classes:$ROOT/ofproto/target/classes:$(cat "$WORK/cp.txt")"

echo "== machine load before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
java -Djmh.ignoreLock=true -cp "$CP" org.openjdk.jmh.Main 'io.shunt.ofproto.bench.FlowModBench' -f 1 -rf json \
  -rff "$RESULTS/ofproto-flowmod-handler.json"
python3 - "$RESULTS/ofproto-flowmod-handler.json" <<'PY'
import json, sys
rows = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"]["score"] for r in json.load(open(sys.argv[1]))}
for k, v in rows.items():
    print("%-24s %12.0f ops/s" % (k, v))
print("non-strict / strict modify at 100k rules: %.2f" % (rows["modifyNonStrictAt100k"] / rows["modifyStrictAnchor"]))
PY
if [ -f "$ROOT/bench/plot.py" ]; then
  /usr/bin/python3 -c "import matplotlib" 2>/dev/null || apt-get install -y -q python3-matplotlib >/dev/null
  /usr/bin/python3 "$ROOT/bench/plot.py" jmh "$RESULTS/ofproto-flowmod-handler.json" "$RESULTS/ofproto-flowmod-handler.png" \
    --title "ofproto FLOW_MOD handling (ops/s)"
fi
