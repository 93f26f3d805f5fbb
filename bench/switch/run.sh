#!/usr/bin/env bash
# Switch benchmark (issue 5): the switch path with one PMD thread, 64-byte frames, three
# flow-table shapes, shunt and its OVS-DPDK anchor on the same tables and frames, one run:
#   p2p        one in_port flow (in_port=1,actions=output:2), one traffic flow
#   rules1k    1,000 in_port=1,dl_dst=D rules hit by 1,000 distinct frames (dl_dst varies)
#   rules100k  100,000 such rules hit by 100,000 distinct frames
# Both switches get the same rules file through `ovs-ofctl add-flows` and the same
# frames (test-vms' source with --vary dl_dst; for OVS the same bytes in a pcap, see
# bench/switch/ovs_anchor.py for how and why).
#
# shunt: shunt-vswitchd (SHUNT_CPUS, default both CPUs) with a source VNF process on port 1 and a
#   sink VNF process on port 2 (both on CPU 0; the source waits for ring room, --no-drop, so
#   it does not burn CPU 0 generating frames it drops); cycles/packet = the PMD's busy nanoseconds
#   (pmd-stats) x the TSC rate / packets it forwarded over the window.
# OVS-DPDK 3.1: private instance in its own netns, PMD on CPU 1, its other threads on CPU 0,
#   net_pcap (infinite_rx) -> net_null; cycles/packet from dpif-netdev/pmd-stats-show.
# The TSC rate is measured in the run: OVS's PMD idle+processing cycles over wall time.
#
#   bench/switch/run.sh                        10 s per case and switch (run as root)
#   DURATION=3 WARMUP=2 JMH=0 bench/switch/run.sh   a short development run
#   JMH=0       skips the in-process PmdRoundBenchmark (default 1: run it first)
#   SHUNT_CPUS  CPUs of shunt-vswitchd (default 0,1: pinned to CPU 1 alone, its JIT and GC
#               threads share the PMD's CPU and a development run forwarded 6x less)
#   CASES       e.g. "p2p:1" for a development run of one case (the summary needs all three)
#   WARMUP_100K warm-up of the 100k case, both switches (default 15 s: 100,000 upcalls)
#
# Writes bench/results/switch.json (series for bench/plot.py plus every figure, the load
# averages, the date, the TSC rate and the thread placement) and bench/results/switch.png.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_init swbench
cd "$ROOT"
duration="${DURATION:-10}"
warmup="${WARMUP:-3}"
warmup_100k="${WARMUP_100K:-15}"
anchor="$ROOT/bench/switch/ovs_anchor.py"
SWITCH_CPU=1            # OVS's PMD (pmd-cpu-mask); shunt-vswitchd's CPUs are SHUNT_CPUS
SHUNT_CPUS="${SHUNT_CPUS:-0,1}"
VNF_CPU=0

# run_shunt runs in a $(...) subshell: what it starts goes to files the EXIT trap reads.
cleanup() {
  local p pids=()
  [ -f "$WORK/pids" ] && mapfile -t pids <"$WORK/pids"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  # OVS: ovs_anchor.py stops its daemons itself; this only catches what an abort left.
  for f in "$WORK"/*/ovs-*/*.pid; do
    [ -f "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null || true
  done
  ip netns del shunt-swbench 2>/dev/null || true
  if [ -f "$WORK/regions" ]; then
    while read -r d; do case "$d" in /dev/shm/shunt-swbench.*) rm -rf "$d" ;; esac; done <"$WORK/regions"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "switch bench: run as root (network namespace, hugepages for OVS-DPDK)" >&2; exit 1; }
if [ "$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)" -lt 600 ]; then
  echo "switch bench: OVS-DPDK needs 1 GiB of free 2 MiB hugepages (see FACTS.md)" >&2; exit 1
fi
load_before="$(bench_load)"
date_run="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine load before the run: $load_before"

./mvnw -B -q -DskipTests -pl vswitchd,test-vms -am package

# 1. JMH: one PMD poll round in-process (32 packets: parse, cache hit, set dl_dst, output, credit)
#    against the anchor that moves the same burst between the same rings without switching.
if [ "${JMH:-1}" = 1 ]; then
  bench_module_classpath datapath-dpdk
  bench_jmh_lock 0
  java "${JMH_LOCK[@]}" --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main PmdRoundBenchmark \
    -rf json -rff "$RESULTS/switch-pmd-round-jmh.json"
  bench_plot jmh "$RESULTS/switch-pmd-round-jmh.json" "$RESULTS/switch-pmd-round-jmh.png" \
    --title "PMD poll round vs bare rings (ns/packet)" || true
fi

# 2. shunt: source VNF -> switch (one PMD) -> sink VNF, figures from pmd-stats.
run_shunt() {
  local name="$1" rules="$2" inputs="$3" wu="$4"
  local work="$WORK/shunt-$name" vswitchd_pid sink_pid source_pid
  mkdir -p "$work/state" "$work/run"
  local regions; regions="$(mktemp -d /dev/shm/shunt-swbench.XXXXXX)"; echo "$regions" >>"$WORK/regions"
  taskset -c "$SHUNT_CPUS" bin/shunt-vswitchd --state-dir "$work/state" --run-dir "$work/run" \
    --region-dir "$regions" >"$work/vswitchd.log" 2>&1 &
  vswitchd_pid=$!; echo "$vswitchd_pid" >>"$WORK/pids"
  for _ in $(seq 1 300); do [ -S "$work/run/br0.mgmt" ] && break; sleep 0.1; done
  rpc() { timeout 60 "$BENCH_PYTHON" scripts/shunt-rpc.py "$work/run/shunt.ctl" "$@"; }
  rpc set-fail-mode '{"bridge":"br0","mode":"secure"}' >/dev/null
  local mgmt="unix:$work/run/br0.mgmt"
  for _ in $(seq 1 300); do timeout 10 ovs-ofctl -O OpenFlow13 show "$mgmt" >/dev/null 2>&1 && break; sleep 0.1; done
  rpc add-port '{"bridge":"br0","port":"bench0"}' >/dev/null
  rpc add-port '{"bridge":"br0","port":"bench1"}' >/dev/null
  local t_install=$SECONDS
  timeout 600 ovs-ofctl -O OpenFlow13 add-flows "$mgmt" "$inputs/flows.txt"
  local install=$((SECONDS - t_install))
  local installed
  installed=$(timeout 300 ovs-ofctl -O OpenFlow13 dump-flows --no-names "$mgmt" | grep -c 'actions=' || true)
  [ "$installed" = "$rules" ] || { echo "shunt holds $installed flows, not $rules" >&2; return 1; }
  local vary=()
  [ "$rules" -gt 1 ] && vary=(--vary dl_dst)
  taskset -c "$VNF_CPU" bin/shunt-vnf sink --dir "$regions" --port bench1 --max-flows "$rules" \
    >"$work/sink.json" 2>"$work/sink.log" &
  sink_pid=$!; echo "$sink_pid" >>"$WORK/pids"
  taskset -c "$VNF_CPU" bin/shunt-vnf source --dir "$regions" --port bench0 "${vary[@]}" --flows "$rules" --no-drop \
    --duration "$((duration + wu + 2))s" >"$work/source.json" 2>"$work/source.log" &
  source_pid=$!; echo "$source_pid" >>"$WORK/pids"
  sleep "$wu"
  local t0 s0 t1 s1
  t0=$(date +%s.%N); s0=$(rpc pmd-stats)
  sleep "$duration"
  t1=$(date +%s.%N); s1=$(rpc pmd-stats)
  timeout $((duration + 60)) tail --pid="$source_pid" -f /dev/null || true
  kill -TERM "$sink_pid" 2>/dev/null || true
  timeout 30 tail --pid="$sink_pid" -f /dev/null || true
  kill -TERM "$vswitchd_pid" 2>/dev/null || true
  timeout 30 tail --pid="$vswitchd_pid" -f /dev/null || true
  rm -rf "$regions"
  "$BENCH_PYTHON" - "$name" "$rules" "$t0" "$t1" "$s0" "$s1" "$work/source.json" "$work/sink.json" "$install" <<'PY'
import json, sys
name, rules, t0, t1, s0, s1, src, snk, install = sys.argv[1:]
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
print(json.dumps({"case": name, "rules": int(rules), "switch": "shunt", "seconds": round(secs, 2),
    "packets": packets, "mpps": round(packets / secs / 1e6, 3),
    "busy_ns_per_packet": round(busy / packets, 2) if packets else None,
    "pmd_idle_share": round(idle / (busy + idle), 3) if busy + idle else None,
    "flow_install_seconds": int(install),
    "hits": {"emc_hits": b["emc_hits"] - a["emc_hits"], "megaflow_hits": b["megaflow_hits"] - a["megaflow_hits"],
             "upcalls": b["upcalls"] - a["upcalls"]}, "tx_drops_total": b["drops"],
    "source": {k: last(src).get(k) for k in ("sent", "droppedAtTx", "poolEmpty", "mpps", "vary")},
    "sink": {k: last(snk).get(k) for k in ("received", "lost", "reordered", "flowsSeen", "mpps")}}))
PY
}

run_ovs() {
  local name="$1" rules="$2" inputs="$3" wu="$4"
  timeout $((wu + duration + 900)) "$BENCH_PYTHON" "$anchor" ovs "$inputs" "$name" "$rules" "$wu" "$duration"
}

lines=()
for spec in ${CASES:-p2p:1 rules1k:1000 rules100k:100000}; do
  name=${spec%%:*}; rules=${spec#*:}
  wu=$warmup; [ "$rules" -ge 100000 ] && wu=$warmup_100k
  inputs="$WORK/$name"; mkdir -p "$inputs"
  "$BENCH_PYTHON" "$anchor" inputs "$inputs" "$rules"
  line=$(run_shunt "$name" "$rules" "$inputs" "$wu"); echo "$line"; lines+=("$line")
  line=$(run_ovs "$name" "$rules" "$inputs" "$wu"); echo "$line"; lines+=("$line")
done
load_after="$(bench_load)"
echo "machine load after the run: $load_after"

"$BENCH_PYTHON" - "$RESULTS" "$load_before" "$load_after" "$date_run" "$SHUNT_CPUS" "$VNF_CPU" "${lines[@]}" <<'PY'
import json, statistics, sys
results, load_before, load_after, date, switch_cpu, vnf_cpu, *lines = sys.argv[1:]
rows = [json.loads(l) for l in lines]
tsc = statistics.median(r["tsc_hz_measured"] for r in rows if r["switch"] == "ovs-dpdk")
for r in rows:
    if r["switch"] == "shunt":
        r["cycles_per_packet"] = round(r["busy_ns_per_packet"] * tsc / 1e9, 1) if r["busy_ns_per_packet"] else None
goals = {"p2p": ("<= OVS-DPDK", None), "rules1k": ("<= OVS-DPDK", None), "rules100k": ("<= 500 cycles/packet", 500)}
cases = []
print("%-10s %10s %10s %8s %8s %7s  %s" % ("case", "shunt c/p", "OVS c/p", "shunt", "OVS", "ratio", "goal"))
for name in ("p2p", "rules1k", "rules100k"):
    s = next(r for r in rows if r["case"] == name and r["switch"] == "shunt")
    o = next(r for r in rows if r["case"] == name and r["switch"] == "ovs-dpdk")
    ratio = round(s["cycles_per_packet"] / o["cycles_per_packet"], 2)
    goal, bound = goals[name]
    met = s["cycles_per_packet"] <= (bound if bound else o["cycles_per_packet"])
    cases.append({"case": name, "rules": s["rules"], "shunt": s, "ovs_dpdk": o, "ratio_cycles_shunt_over_ovs": ratio,
                  "goal": goal, "goal_met": met})
    print("%-10s %10.1f %10.1f %5.2f Mpps %5.2f Mpps %6.2fx  %s: %s" % (name, s["cycles_per_packet"],
          o["cycles_per_packet"], s["mpps"], o["mpps"], ratio, goal, "met" if met else "NOT met"))
print("TSC rate used: %.3f GHz (measured from OVS's PMD cycles over wall time)" % (tsc / 1e9))
placement = {"shunt": "shunt-vswitchd (every thread) on CPU(s) %s, source and sink VNF on CPU %s" % (switch_cpu, vnf_cpu),
             "ovs_dpdk": "PMD thread on CPU 1 (pmd-cpu-mask), every other OVS thread on CPU 0"}
out = {"title": "one PMD, 64-byte frames: cycles/packet (load %s -> %s)" % (load_before, load_after),
       "unit": "TSC cycles/packet",
       "series": [{"name": "shunt", "points": [{"x": c["case"], "y": c["shunt"]["cycles_per_packet"]} for c in cases]},
                  {"name": "OVS-DPDK 3.1", "points": [{"x": c["case"], "y": c["ovs_dpdk"]["cycles_per_packet"]} for c in cases]}],
       "date": date, "load_before": load_before, "load_after": load_after, "tsc_hz": round(tsc),
       "placement": placement, "cases": cases}
json.dump(out, open(results + "/switch.json", "w"), indent=2)
PY
bench_plot series "$RESULTS/switch.json" "$RESULTS/switch.png" || true
rm -f "$RESULTS/switch-cases.json"
echo "results: $RESULTS/switch.json, $RESULTS/switch.png"
