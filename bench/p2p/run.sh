#!/usr/bin/env bash
# JMH benchmark of the p2p-detector: cost per flow-mod at 1k..1M entries against the
# brute-force oracle (the in-run anchor), and heap bytes per entry of its indexes.
# Writes bench/results/p2p-detector.json (JMH JSON, oracle included),
# p2p-detector-flowmod.json and p2p-detector-memory.json (plot.py series) and their PNGs. Short by default; see P2pBench for the knobs,
# e.g. P2P_JAVA_OPTS="-Dp2p.sizes=1000,100000 -Dp2p.iterations=3".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
results="$root/bench/results"
mkdir -p "$results" "$root/bench/work"

./mvnw -B -q -pl p2p-detector -am test-compile
cpfile="$root/bench/work/p2p-classpath.txt"
./mvnw -B -q -pl p2p-detector dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile"
cp="$root/p2p-detector/target/test-classes:$root/p2p-detector/target/classes:$(cat "$cpfile")"

echo "machine load before the run: $(cut -d' ' -f1-3 /proc/loadavg) (2 vCPUs, shared)"
# shellcheck disable=SC2086
"$java" ${P2P_JAVA_OPTS:-} -cp "$cp" io.shunt.p2p.bench.P2pBench "$results/p2p-detector.json" \
    "$results/p2p-detector-flowmod.json" \
    | tee "$root/bench/work/p2p-detector-jmh.log"
"$java" -XX:+UseSerialGC -Xmx4g -cp "$cp" io.shunt.p2p.bench.IndexFootprint "$results/p2p-detector-memory.json"
echo "machine load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ -f "$root/bench/plot.py" ]]; then
    # Debian's python3 (another python may be first on PATH) with python3-matplotlib.
    /usr/bin/python3 -c "import matplotlib" 2>/dev/null || apt-get install -y -q python3-matplotlib >/dev/null
    # The oracle is 10^2..10^6 times slower: on one linear axis the detector's bars vanish,
    # so the PNG shows the detector's series; the oracle and the ratios are printed above and
    # kept in p2p-detector-flowmod.json ("anchor").
    /usr/bin/python3 "$root/bench/plot.py" series "$results/p2p-detector-flowmod.json" "$results/p2p-detector.png"
    /usr/bin/python3 "$root/bench/plot.py" series "$results/p2p-detector-memory.json" "$results/p2p-detector-memory.png"
else
    echo "bench/plot.py not found: no PNG written (JSON is in $results)"
fi
