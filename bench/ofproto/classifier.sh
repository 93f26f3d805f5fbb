#!/usr/bin/env bash
# Classifier benchmark of ofproto: lookup time at 1k / 100k / 1M rules of
# realistic mixed masks against its in-run anchor (one exact-match
# subtable of the same size), and heap bytes per entry.
#
# Usage: bench/ofproto/classifier.sh [--quick]
#   --quick: 1k and 100k rules only, shorter iterations (while developing)
# Output: a table on stdout; bench/results/ofproto-classifier.json (JMH),
#         bench/results/ofproto-classifier-memory.json, and a PNG of each
#         when bench/plot.py and python3-matplotlib are available.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_init classifier
bench_jmh_lock 1

SIZES="1000,100000,1000000"
JMH_TIME=(-wi 2 -i 3 -w 1s -r 1s)
MEM_N=1000000
if [ "${1:-}" = "--quick" ]; then
  SIZES="1000,100000"
  JMH_TIME=(-wi 1 -i 2 -w 1s -r 1s)
  MEM_N=100000
fi

echo "== building ofproto test classes"
bench_module_classpath ofproto

echo "== machine load before the run: $(bench_load)"
java "${JMH_LOCK[@]}" -cp "$CP" org.openjdk.jmh.Main 'io.shunt.ofproto.bench.ClassifierLookupBench' \
  -p rules="$SIZES" "${JMH_TIME[@]}" -f 1 -rf json -rff "$RESULTS/ofproto-classifier.json"
echo "== machine load after the run: $(bench_load)"

echo "== lookup cost against the exact-match anchor (same run)"
"$BENCH_PYTHON" - "$RESULTS/ofproto-classifier.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
by = {}
for r in rows:
    name = r["benchmark"].rsplit(".", 1)[1]
    by.setdefault(r["params"]["rules"], {})[name] = r["primaryMetric"]["score"]
print("%10s %14s %18s %14s %8s" % ("rules", "mixed ns/op", "mixed+wc ns/op", "anchor ns/op", "ratio"))
for n in sorted(by, key=int):
    b = by[n]
    print("%10s %14.1f %18.1f %14.1f %8.2f" % (n, b["mixedMasks"], b["mixedMasksWithWildcards"],
          b["exactMatchAnchor"], b["mixedMasks"] / b["exactMatchAnchor"]))
PY

echo "== heap bytes per entry ($MEM_N entries)"
java -Xmx8g -XX:+UseParallelGC -cp "$CP" io.shunt.ofproto.bench.ClassifierMemory "$MEM_N" | tee "$RESULTS/ofproto-classifier-memory.json"

bench_plot jmh "$RESULTS/ofproto-classifier.json" "$RESULTS/ofproto-classifier.png" \
  --title "ofproto classifier lookup (ns/op)"
