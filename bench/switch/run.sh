#!/usr/bin/env bash
# Switch benchmark: shunt-vswitchd with one PMD thread, 64-byte frames from a source VNF
# process to a sink VNF process through the forwarding engine, two flow-table shapes:
#   p2p      one in_port flow, one traffic flow (OVS's "port-to-port" case)
#   rules1k  1,000 in_port,udp,tp_src rules and 1,000 distinct traffic flows (the source's
#            --flows varies the UDP source port; it cannot vary dl_dst yet)
# Figures come from the switch's own pmd-stats (busy nanoseconds x 2.45 GHz, see PmdStats):
# Mpps forwarded and cycles per packet, measured over the run minus a warm-up.
#
#   bench/switch/run.sh              10 s per case
#   DURATION=5 bench/switch/run.sh   shorter
#
# The OVS-DPDK anchor (same cases on OVS 3.1 with net_ring ports) is not run here yet;
# FACTS.md quotes its figures from an earlier session (~105 and ~341 cycles/packet).
# The machine is shared: the source, the PMD and the sink share 2 vCPUs with whatever
# else runs; the load average is printed beside the figures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. scripts/env.sh
shunt_find_jdk
duration="${DURATION:-10}"
warmup=2
results="$root/bench/results"
mkdir -p "$results"

./mvnw -B -q -DskipTests -pl vswitchd,test-vms -am package

# 1. JMH: one PMD poll round in-process (32 packets: parse, cache hit, set dl_dst, output, credit)
#    against the anchor that moves the same burst between the same rings without switching.
./mvnw -B -q -pl datapath-dpdk -am test-compile
./mvnw -B -q -pl datapath-dpdk dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="datapath-dpdk/target/test-classes:datapath-dpdk/target/classes:$(cat datapath-dpdk/target/bench-classpath.txt)"
jmh_lock=()
[ "${JMH_IGNORE_LOCK:-0}" = 1 ] && jmh_lock=(-Djmh.ignoreLock=true)
java "${jmh_lock[@]}" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main PmdRoundBenchmark \
  -rf json -rff "$results/switch-pmd-round-jmh.json"
/usr/bin/python3 - "$results/switch-pmd-round-jmh.json" <<'PY'
import json, sys
r = {b["benchmark"].rsplit(".", 1)[1]: b["primaryMetric"]["score"] for b in json.load(open(sys.argv[1]))}
print("PMD round: %.1f ns/packet (%.0f cycles at 2.45 GHz), bare rings %.1f ns/packet, ratio %.1fx"
      % (r["switched"], r["switched"] * 2.45, r["bareRingsAnchor"], r["switched"] / r["bareRingsAnchor"]))
PY

# 2. Processes: source VNF -> switch (one PMD) -> sink VNF, figures from pmd-stats.

run_case() {
  local name="$1" flows="$2"
  local work regions vswitchd_pid
  work="$(mktemp -d /tmp/shunt-bench.XXXXXX)"
  regions="$(mktemp -d /dev/shm/shunt-bench.XXXXXX)"
  mkdir -p "$work/state" "$work/run"
  bin/shunt-vswitchd --state-dir "$work/state" --run-dir "$work/run" --region-dir "$regions" >"$work/vswitchd.log" 2>&1 &
  vswitchd_pid=$!
  for _ in $(seq 1 300); do [ -S "$work/run/br0.mgmt" ] && break; sleep 0.1; done
  rpc() { /usr/bin/python3 scripts/shunt-rpc.py "$work/run/shunt.ctl" "$@"; }
  rpc set-fail-mode '{"bridge":"br0","mode":"secure"}' >/dev/null
  for _ in $(seq 1 300); do ovs-ofctl -O OpenFlow13 show "unix:$work/run/br0.mgmt" >/dev/null 2>&1 && break; sleep 0.1; done
  rpc add-port '{"bridge":"br0","port":"bench0"}' >/dev/null
  rpc add-port '{"bridge":"br0","port":"bench1"}' >/dev/null
  if [ "$flows" = 1 ]; then
    ovs-ofctl -O OpenFlow13 add-flow "unix:$work/run/br0.mgmt" in_port=1,actions=output:2
  else
    for i in $(seq 0 $((flows - 1))); do echo "in_port=1,udp,tp_src=$((1024 + i)),actions=output:2"; done >"$work/flows.txt"
    ovs-ofctl -O OpenFlow13 add-flows "unix:$work/run/br0.mgmt" "$work/flows.txt"
  fi
  bin/shunt-vnf sink --dir "$regions" --port bench1 >"$work/sink.json" 2>/dev/null &
  local sink_pid=$!
  bin/shunt-vnf source --dir "$regions" --port bench0 --flows "$flows" --duration "$((duration + warmup + 1))s" \
    >"$work/source.json" 2>/dev/null &
  local source_pid=$!
  sleep "$warmup"
  local t0 s0 t1 s1
  t0=$(date +%s.%N); s0=$(rpc pmd-stats)
  sleep "$duration"
  t1=$(date +%s.%N); s1=$(rpc pmd-stats)
  wait "$source_pid" || true
  kill -TERM "$sink_pid" 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true
  local flows_dump; flows_dump=$(ovs-ofctl -O OpenFlow13 dump-ports "unix:$work/run/br0.mgmt")
  kill -TERM "$vswitchd_pid"; wait "$vswitchd_pid" 2>/dev/null || true
  rm -rf "$regions"
  /usr/bin/python3 - "$name" "$flows" "$t0" "$t1" "$s0" "$s1" "$work/source.json" "$work/sink.json" <<'PY'
import json, sys
name, flows, t0, t1, s0, s1, src, snk = sys.argv[1:]
a, b = json.loads(s0)[0], json.loads(s1)[0]
packets = b["packets"] - a["packets"]
busy = b["busy_ns"] - a["busy_ns"]
idle = b["idle_ns"] - a["idle_ns"]
secs = float(t1) - float(t0)
def last(path):
    try:
        return json.loads(open(path).read().strip().splitlines()[-1])
    except Exception:
        return {}
out = {"case": name, "rules": int(flows), "seconds": round(secs, 2), "packets": packets,
       "mpps": round(packets / secs / 1e6, 3),
       "cycles_per_packet": round(busy * 2.45 / packets, 1) if packets else None,
       "pmd_idle_share": round(idle / (busy + idle), 3) if busy + idle else None,
       "emc_hits": b["emc_hits"] - a["emc_hits"], "megaflow_hits": b["megaflow_hits"] - a["megaflow_hits"],
       "upcalls": b["upcalls"] - a["upcalls"], "tx_drops": b["drops"],
       "source": {k: last(src).get(k) for k in ("sent", "droppedAtTx", "poolEmpty", "mpps")},
       "sink": {k: last(snk).get(k) for k in ("received", "lost", "reordered", "mpps")}}
print(json.dumps(out))
PY
  rm -rf "$work"
}

p2p=$(run_case p2p 1)
echo "$p2p"
rules=$(run_case rules1k 1000)
echo "$rules"
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average: $load"
/usr/bin/python3 - "$results" "$load" "$p2p" "$rules" <<'PY'
import json, sys
results, load, *cases = sys.argv[1:]
cases = [json.loads(c) for c in cases]
json.dump({"load_average": load, "cycles_source": "nanoTime x 2.45 GHz", "cases": cases},
          open(results + "/switch-cases.json", "w"), indent=2)
json.dump({"title": "shunt switch, one PMD, 64-byte frames (load %s)" % load, "unit": "cycles/packet",
           "series": [{"name": c["case"], "points": [{"x": c["rules"], "y": c["cycles_per_packet"]}]} for c in cases]},
          open(results + "/switch.json", "w"), indent=2)
PY
if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null || { apt-get install -y -qq python3-matplotlib >/dev/null 2>&1; }; then
  /usr/bin/python3 bench/plot.py series "$results/switch.json" "$results/switch.png" || true
  /usr/bin/python3 bench/plot.py jmh "$results/switch-pmd-round-jmh.json" "$results/switch-pmd-round-jmh.png" \
    --title "PMD poll round vs bare rings (ns/packet)" || true
fi
echo "results: $results/switch-cases.json"
