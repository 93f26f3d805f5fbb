#!/usr/bin/env bash
# The first thing to run: shunt-vswitchd with four dpdkr ports and a chain of three VNF
# processes, source -> forwarder -> sink, programmed with ovs-ofctl over the bridge's
# unix socket, and the compute agent (process driver) that lets vswitchd plug direct
# links into the VNFs; prints throughput, counters and the links' states every second.
# The port-to-port flows make both hops direct paths: within a second or so the PMD's
# counters stop growing while the sink's keep going (the traffic now runs on the links).
#
#   scripts/demo.sh                 runs until Ctrl-C
#   scripts/demo.sh --duration 10   runs 10 seconds (CI)
#   scripts/demo.sh --rate 200000   source rate in packets/s (default 100000; 0 = as fast as it can)
#
# Everything lives in temporary directories (state, sockets, /dev/shm regions) that are
# removed at the end; Ctrl-C stops every process cleanly.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration=0
rate=100000
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "demo: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

"$root/scripts/setup.sh"
. "$root/scripts/env.sh"
shunt_find_jdk
echo "demo: building (./mvnw -q -DskipTests package)..."
(cd "$root" && ./mvnw -B -q -DskipTests package)

work="$(mktemp -d /tmp/shunt-demo.XXXXXX)"
regions="$(mktemp -d /dev/shm/shunt-demo.XXXXXX)"
mkdir -p "$work/state" "$work/run"
pids=()
vswitchd_pid=""

cleanup() {
  trap - EXIT INT TERM
  echo
  echo "demo: stopping"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -n "$vswitchd_pid" ]; then
    kill -TERM "$vswitchd_pid" 2>/dev/null || true
    wait "$vswitchd_pid" 2>/dev/null || true
  fi
  for f in "$work"/*.json; do [ -s "$f" ] && echo "demo: $(basename "$f" .json) summary: $(tail -n1 "$f")"; done
  rm -rf "$regions"
  echo "demo: logs kept in $work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rpc() { /usr/bin/python3 "$root/scripts/shunt-rpc.py" "$work/run/shunt.ctl" "$@"; }
ofctl() { ovs-ofctl -O OpenFlow13 "$1" "unix:$work/run/br0.mgmt" "${@:2}"; }

"$root/bin/shunt-compute-agent" --listen 127.0.0.1:0 --port-file "$work/agent.port" \
  --token-file "$work/agent.token" --region-dir "$regions" >"$work/agent.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do [ -s "$work/agent.port" ] && break; sleep 0.1; done
[ -s "$work/agent.port" ] || { echo "demo: shunt-compute-agent did not start; log:" >&2; cat "$work/agent.log" >&2; exit 1; }
agent_url="http://127.0.0.1:$(cat "$work/agent.port")"
echo "demo: shunt-compute-agent up on $agent_url"

"$root/bin/shunt-vswitchd" --state-dir "$work/state" --run-dir "$work/run" --region-dir "$regions" \
  --agent-url "$agent_url" --agent-token-file "$work/agent.token" >"$work/vswitchd.log" 2>&1 &
vswitchd_pid=$!
for _ in $(seq 1 300); do
  [ -S "$work/run/shunt.ctl" ] && [ -S "$work/run/br0.mgmt" ] && break
  kill -0 "$vswitchd_pid" 2>/dev/null || { echo "demo: shunt-vswitchd exited; log:" >&2; cat "$work/vswitchd.log" >&2; exit 1; }
  sleep 0.1
done
echo "demo: shunt-vswitchd up (pid $vswitchd_pid), OpenFlow on unix:$work/run/br0.mgmt"

# Fail mode secure: only the flows below forward (standalone would also switch misses as NORMAL).
rpc set-fail-mode '{"bridge":"br0","mode":"secure"}' >/dev/null
for _ in $(seq 1 300); do ofctl show >/dev/null 2>&1 && break; sleep 0.1; done
for p in dpdkr0 dpdkr1 dpdkr2 dpdkr3; do
  echo "demo: add-port br0 $p -> $(rpc add-port "{\"bridge\":\"br0\",\"port\":\"$p\"}")"
done
ofctl add-flow in_port=1,actions=output:2
ofctl add-flow in_port=3,actions=output:4
echo "demo: flows:"; ofctl dump-flows | sed 's/^/  /'

vnf="$root/bin/shunt-vnf"
"$vnf" sink --dir "$regions" --port dpdkr3 >"$work/sink.json" 2>"$work/sink.log" &
pids+=($!)
"$vnf" forwarder --dir "$regions" --port0 dpdkr1 --port1 dpdkr2 >"$work/forwarder.json" 2>"$work/forwarder.log" &
pids+=($!)
sleep 2   # let the forwarder and the sink start polling (JVM start-up) before traffic begins
"$vnf" source --dir "$regions" --port dpdkr0 --rate "$rate" >"$work/source.json" 2>"$work/source.log" &
pids+=($!)
echo "demo: source -> dpdkr0 =[in_port=1]=> dpdkr1 -> forwarder -> dpdkr2 =[in_port=3]=> dpdkr3 -> sink, $rate pps"
[ "$duration" -gt 0 ] && echo "demo: running for $duration s" || echo "demo: Ctrl-C to stop"

# port N's "rx pkts" / "tx pkts" in ovs-ofctl dump-ports output
stat() { awk -v port="$2" -v dir="$3" '
  $1 == "port" && $2 == port":" { inport = 1; if (dir == "rx") { sub(/pkts=/, "", $4); sub(/,/, "", $4); print $4; exit } ; next }
  inport && $1 == "tx" { sub(/pkts=/, "", $2); sub(/,/, "", $2); print $2; exit }' <<<"$1"; }

prev_in=0; prev_out=0; t=0
while [ "$duration" -eq 0 ] || [ "$t" -lt "$duration" ]; do
  sleep 1
  t=$((t + 1))
  ports="$(ofctl dump-ports)"
  in=$(stat "$ports" 1 rx); out=$(stat "$ports" 4 tx)
  drops=$(rpc counters | /usr/bin/python3 -c 'import json,sys; print(sum(r["tx_dropped"] for r in json.load(sys.stdin)))')
  pmd=$(rpc pmd-stats | /usr/bin/python3 -c 'import json,sys; p=json.load(sys.stdin)[0]; print("%.0f cycles/pkt, idle %.0f%%, emc %d, megaflow %d, upcalls %d" % (p["cycles_per_packet"], 100*p["idle_share"], p["emc_hits"], p["megaflow_hits"], p["upcalls"]))')
  links=$(rpc links | /usr/bin/python3 -c 'import json,sys; l=json.load(sys.stdin)["links"]; print(" ".join("%s:%s" % ("+".join(d["from"]+">"+d["to"] for d in x["directions"]) or x.get("name"), x["state"]) for x in l) or "none")')
  printf 'demo: %4ds  in %9d (%7d pps)  out %9d (%7d pps)  tx drops %d  | pmd0 %s | links %s\n' \
    "$t" "$in" $((in - prev_in)) "$out" $((out - prev_out)) "$drops" "$pmd" "$links"
  prev_in=$in; prev_out=$out
done
