#!/usr/bin/env bash
# afpacket port to afpacket port, 64-byte frames, shunt against Open vSwitch's userspace
# datapath (datapath_type=netdev, system ports = AF_PACKET) on the same topology, in the
# same run, alternating the two switches round by round.
#
#   gen ns: g0 ==veth== p0 [switch ns: shunt or OVS, in_port=p0 -> output:p1] p1 ==veth== s0 :sink ns
#
# trafgen (netsniff-ng) blasts 64-byte UDP frames on g0 from CPU 0; the switch process
# (every thread of it) is pinned to CPU 1: "Mpps per core" is what one core of switch
# forwards. The rate is what the sink's s0 receives over a window after a warm-up.
# Writes bench/results/hostports-afpacket.json and .png. Root; creates and deletes its
# own namespaces (shunt-b-*); nothing in the machine's namespace is touched.
#
#   bench/hostports/run.sh [ROUNDS] [WINDOW_SECONDS]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_init hostports
ROUNDS=${1:-3}
WINDOW=${2:-5}
WARMUP=3
PFX="shunt-b-$$"
SW="$PFX-sw"; GEN="$PFX-gen"; SINK="$PFX-sink"
PY=$BENCH_PYTHON

need=()
for p in netsniff-ng openvswitch-switch iproute2 ethtool; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

cleanup() {
  set +e
  [ -f "$WORK/shunt.pid" ] && kill "$(cat "$WORK/shunt.pid")" 2>/dev/null
  for f in "$WORK"/ovs/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
  [ -f "$WORK/trafgen.pid" ] && { pkill -INT -P "$(cat "$WORK/trafgen.pid")"; kill -INT "$(cat "$WORK/trafgen.pid")"; } 2>/dev/null
  sleep 1
  for n in "$SW" "$GEN" "$SINK"; do ip netns del "$n" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

(cd "$ROOT" && ./mvnw -B -q -pl vswitchd -am package -DskipTests)
# A private copy of the classes: a rebuild in the tree during the run cannot change what runs.
cp -r "$ROOT/vswitchd/target/classes" "$WORK/classes"
CP="$WORK/classes:$(cat "$ROOT/vswitchd/target/classpath.txt")"

for n in "$SW" "$GEN" "$SINK"; do
  ip netns add "$n"
  ip netns exec "$n" ip link set lo up
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add p0 netns "$SW" type veth peer name g0 netns "$GEN"
ip link add p1 netns "$SW" type veth peer name s0 netns "$SINK"
for x in "$SW p0" "$SW p1" "$GEN g0" "$SINK s0"; do set -- $x; ip netns exec "$1" ip link set "$2" up; done

cat > "$WORK/frame.cfg" <<'CFG'
{ eth(da=02:00:00:00:00:02, sa=02:00:00:00:00:01), ipv4(saddr=10.99.0.1, daddr=10.99.0.2, ttl=64), udp(sp=1000, dp=2000), fill(0x00, 22) }
CFG

rx_sink() { ip netns exec "$SINK" cat /sys/class/net/s0/statistics/rx_packets; }
tx_gen() { ip netns exec "$GEN" cat /sys/class/net/g0/statistics/tx_packets; }

# measure BEGIN_HOOK END_HOOK: starts trafgen, waits WARMUP s, runs BEGIN_HOOK, counts
# WINDOW s, runs END_HOOK (which prints the switch's busy CPU seconds over the window),
# stops trafgen; prints "forwarded_mpps offered_mpps cycles_per_forwarded_packet".
measure() {
  ip netns exec "$GEN" taskset -c 0 trafgen --dev g0 --conf "$WORK/frame.cfg" --cpus 1 -q \
      >"$WORK/trafgen.log" 2>&1 &
  local tg=$!
  echo "$tg" >"$WORK/trafgen.pid"
  sleep "$WARMUP"
  local r0 g0 t0 r1 g1 t1 busy
  $1
  r0=$(rx_sink); g0=$(tx_gen); t0=$(date +%s.%N)
  sleep "$WINDOW"
  r1=$(rx_sink); g1=$(tx_gen); t1=$(date +%s.%N)
  busy=$($2)
  # trafgen stops on SIGINT (its worker is a child process).
  pkill -INT -P "$tg" 2>/dev/null || true
  kill -INT "$tg" 2>/dev/null || true
  wait "$tg" 2>/dev/null || true
  rm -f "$WORK/trafgen.pid"
  sleep 0.5
  "$PY" -c "import sys; r0,r1,g0,g1,t0,t1,busy=map(float,sys.argv[1:8]); d=t1-t0; n=r1-r0; print('%.4f %.4f %.0f' % (n/d/1e6, (g1-g0)/d/1e6, busy*2.45e9/n if n else float('nan')))" \
      "$r0" "$r1" "$g0" "$g1" "$t0" "$t1" "$busy"
}

# Both switches: the CPU time of the whole switch process over the window (utime + stime).
proc_cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
shunt_begin() { proc_cpu_seconds "$(cat "$WORK/shunt.pid")" >"$WORK/cpu0"; }
shunt_end() { $PY -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(proc_cpu_seconds "$(cat "$WORK/shunt.pid")")" "$(cat "$WORK/cpu0")"; }
# OVS sleeps in poll() when idle; its main thread polls these non-PMD ports (which have no
# cycle counters in pmd-stats-show).
ovs_begin() { proc_cpu_seconds "$(cat "$WORK/ovs/ovs-vswitchd.pid")" >"$WORK/cpu0"; }
ovs_end() { $PY -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(proc_cpu_seconds "$(cat "$WORK/ovs/ovs-vswitchd.pid")")" "$(cat "$WORK/cpu0")"; }

start_shunt() {
  local d=$1
  ip netns exec "$SW" taskset -c 1 java --enable-native-access=ALL-UNNAMED -Xmx512m -cp "$CP" \
      io.shunt.vswitchd.ShuntVswitchd --state-dir "$d/state" --run-dir "$d/run" --region-dir "$d/regions" \
      >>"$d/vswitchd.log" 2>&1 &
  echo $! >"$WORK/shunt.pid"
  rm -f "$d/run/br0.mgmt"
  for _ in $(seq 1 150); do
    ovs-ofctl -O OpenFlow13 show "unix:$d/run/br0.mgmt" >/dev/null 2>&1 && break; sleep 0.2
  done
}

stop_shunt() {
  kill "$(cat "$WORK/shunt.pid")"; wait "$(cat "$WORK/shunt.pid")" 2>/dev/null || true
  rm -f "$WORK/shunt.pid"
}

run_shunt() {
  local d="$WORK/shunt"; rm -rf "$d"; mkdir -p "$d"/{state,run,regions}
  local rpc="$PY $ROOT/scripts/shunt-rpc.py $d/run/shunt.ctl"
  start_shunt "$d"
  # An idle PMD parks at once (as OVS's thread sleeps in poll()), so the process's CPU time is
  # the work it did: the two switches are then measured the same way. Applies at the next start.
  $rpc set-pmd '{"spin-polls":0,"yield-polls":0,"park-micros":20}' >/dev/null
  $rpc add-port '{"bridge":"br0","port":"p0","type":"afpacket"}' >/dev/null
  $rpc add-port '{"bridge":"br0","port":"p1","type":"afpacket"}' >/dev/null
  $rpc set-fail-mode '{"bridge":"br0","mode":"secure"}' >/dev/null
  stop_shunt
  start_shunt "$d"
  ovs-ofctl -O OpenFlow13 add-flow "unix:$d/run/br0.mgmt" "in_port=1,actions=output:2"
  measure shunt_begin shunt_end
  $rpc counters >"$WORK/shunt-counters.json"
  stop_shunt
}

run_ovs() {
  local d="$WORK/ovs"; rm -rf "$d"; mkdir -p "$d"
  export OVS_RUNDIR="$d" OVS_DBDIR="$d" OVS_LOGDIR="$d"
  ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  ip netns exec "$SW" ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" --pidfile="$d/ovsdb-server.pid" \
      --detach --log-file="$d/ovsdb-server.log"
  ip netns exec "$SW" ovs-vsctl --db="unix:$d/db.sock" --no-wait init
  ip netns exec "$SW" taskset -c 1 ovs-vswitchd "unix:$d/db.sock" --pidfile="$d/ovs-vswitchd.pid" --detach \
      --log-file="$d/ovs-vswitchd.log"
  local vsctl="ip netns exec $SW ovs-vsctl --db=unix:$d/db.sock"
  $vsctl add-br br0 -- set bridge br0 datapath_type=netdev fail_mode=secure
  $vsctl add-port br0 p0 -- set interface p0 ofport_request=1
  $vsctl add-port br0 p1 -- set interface p1 ofport_request=2
  ovs-ofctl add-flow "unix:$d/br0.mgmt" "in_port=1,actions=output:2"
  measure ovs_begin ovs_end
  for f in "$d"/ovs-vswitchd.pid "$d"/ovsdb-server.pid; do kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 1
  rm -f "$d"/*.pid
  unset OVS_RUNDIR OVS_DBDIR OVS_LOGDIR
}

LOAD_BEFORE=$(bench_load)
echo "machine load before the run: $LOAD_BEFORE"
results="$WORK/rounds.txt"; : >"$results"
for i in $(seq 1 "$ROUNDS"); do
  s=$(run_shunt); echo "round $i shunt: forwarded Mpps, offered Mpps, CPU cycles/packet: $s"; echo "shunt $i $s" >>"$results"
  o=$(run_ovs 2>/dev/null); echo "round $i ovs:   forwarded Mpps, offered Mpps, CPU cycles/packet: $o"; echo "ovs $i $o" >>"$results"
done
LOAD_AFTER=$(bench_load)
echo "machine load after the run: $LOAD_AFTER"

"$PY" - "$results" "$RESULTS/hostports-afpacket.json" "$LOAD_BEFORE" "$LOAD_AFTER" "$WINDOW" <<'PYEOF'
import json, statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {"shunt": [], "ovs": []}
TSC_GHZ = 2.45
for name, rnd, fwd, off, cpp in rows:
    cpp = float(cpp)
    by[name].append({"round": int(rnd), "forwarded_mpps": float(fwd), "offered_mpps": float(off),
                     "cycles_per_packet": cpp, "mpps_per_core": TSC_GHZ * 1e3 / cpp if cpp == cpp and cpp > 0 else None})
med = {k: statistics.median(r["forwarded_mpps"] for r in v) for k, v in by.items()}
core = {k: statistics.median(r["mpps_per_core"] for r in v if r["mpps_per_core"]) for k, v in by.items()}
ratio = core["shunt"] / core["ovs"]
fwd_ratio = med["shunt"] / med["ovs"] if med["ovs"] > 0 else None
out = {
    "title": "afpacket -> afpacket, 64-byte frames: Mpps per switch core (switch process CPU time per forwarded packet), per round",
    "unit": "Mpps per core",
    "series": [
        {"name": "shunt (afpacket, TPACKET_V3)", "points": [{"x": r["round"], "y": r["mpps_per_core"]} for r in by["shunt"] if r["mpps_per_core"]]},
        {"name": "OVS 3.1 netdev (system ports)", "points": [{"x": r["round"], "y": r["mpps_per_core"]} for r in by["ovs"] if r["mpps_per_core"]]},
    ],
    "median_mpps_per_core": core,
    "ratio_shunt_over_ovs": ratio,
    "median_forwarded_mpps": med,
    "forwarded_ratio_shunt_over_ovs": fwd_ratio,
    "rounds": by,
    "window_seconds": float(sys.argv[5]),
    "load_before": sys.argv[3],
    "load_after": sys.argv[4],
}
json.dump(out, open(sys.argv[2], "w"), indent=2)
print("median Mpps per core: shunt %.3f, OVS %.3f; ratio shunt/OVS = %.2f" % (core["shunt"], core["ovs"], ratio))
print("median forwarded Mpps (generator-bound): shunt %.3f, OVS %.3f" % (med["shunt"], med["ovs"]))
PYEOF
bench_plot series "$RESULTS/hostports-afpacket.json" "$RESULTS/hostports-afpacket.png"
