#!/usr/bin/env bash
# Flow-mod throughput of shunt against Open vSwitch, in the same run.
#
# For each switch: ovs-ofctl add-flows of N distinct flows (one FLOW_MOD
# each, OpenFlow 1.3), the same with --bundle (OpenFlow 1.4, one atomic
# bundle; the same through OpenFlow 1.3's ONF bundle extension), and one
# non-strict mod-flows that rewrites all N rules, each
# followed by a dump-flows count check. Both switches are reached the same
# way, through their unix-domain management socket, by the same ovs-ofctl.
#
# shunt: io.shunt.ofproto.bench.FlowModBenchSwitch (OpenFlowAgent +
# OpenFlowSwitch + the development in-memory datapath) in one JVM.
# OVS: a private userspace instance (datapath_type=netdev) started here
# without systemd, in its own network namespace, stopped by pidfile at exit.
#
# Usage: bench/ofproto/flowmods.sh [N]   (default 100000)
# Output: a table on stdout, bench/results/ofproto-flowmods.json and .png
set -euo pipefail

N=${1:-100000}
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_init flowmods

SHUNT_PID=""
OVS_NETNS="shunt-bench-$$"
cleanup() {
  set +e
  [ -n "$SHUNT_PID" ] && kill "$SHUNT_PID" 2>/dev/null && wait "$SHUNT_PID" 2>/dev/null
  for p in "$WORK"/ovs/ovs-vswitchd.pid "$WORK"/ovs/ovsdb-server.pid; do
    [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
  done
  ip netns del "$OVS_NETNS" 2>/dev/null
  rm -rf "$WORK"
}
# replaces bench_init's trap: stops both switches, then removes $WORK
trap cleanup EXIT

command -v ovs-vswitchd >/dev/null || apt-get install -y -q openvswitch-switch >/dev/null
bench_matplotlib

echo "== building ofproto test classes"
bench_module_classpath ofproto

echo "== generating $N distinct flows"
"$BENCH_PYTHON" - "$N" > "$WORK/flows.txt" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(n):
    print("table=0,priority=100,ip,nw_dst=10.%d.%d.%d,actions=output:1" % (i >> 16, (i >> 8) & 255, i & 255))
PY

now() { date +%s.%N; }
elapsed() { "$BENCH_PYTHON" -c "print(round($2 - $1, 3))"; }

# run_suite NAME TARGET -> sets T_ADD T_BUNDLE T_MOD
run_suite() {
  local name=$1 target=$2 t0 t1 count
  ovs-ofctl -O OpenFlow13 del-flows "$target"
  t0=$(now); ovs-ofctl -O OpenFlow13 add-flows "$target" "$WORK/flows.txt"; t1=$(now)
  T_ADD=$(elapsed "$t0" "$t1")
  count=$(ovs-ofctl -O OpenFlow13 dump-flows "$target" | grep -c 'nw_dst=' || true)
  [ "$count" -eq "$N" ] || { echo "$name: expected $N flows after add-flows, found $count" >&2; exit 1; }

  t0=$(now); ovs-ofctl -O OpenFlow13 mod-flows "$target" "ip,actions=output:2"; t1=$(now)
  T_MOD=$(elapsed "$t0" "$t1")
  count=$(ovs-ofctl -O OpenFlow13 dump-flows "$target" | grep -c 'actions=output:2' || true)
  [ "$count" -eq "$N" ] || { echo "$name: expected $N modified flows, found $count" >&2; exit 1; }

  ovs-ofctl -O OpenFlow13 del-flows "$target"
  t0=$(now); ovs-ofctl -O OpenFlow14 --bundle add-flows "$target" "$WORK/flows.txt" > "$WORK/bundle-$name.out" 2>&1 || { head -5 "$WORK/bundle-$name.out" >&2; exit 1; }; t1=$(now)
  T_BUNDLE=$(elapsed "$t0" "$t1")
  count=$(ovs-ofctl -O OpenFlow14 dump-flows "$target" | grep -c 'nw_dst=' || true)
  [ "$count" -eq "$N" ] || { echo "$name: expected $N flows after bundle, found $count" >&2; exit 1; }
  ovs-ofctl -O OpenFlow13 del-flows "$target"
  # The same bundle over OpenFlow 1.3: ovs-ofctl sends it through the ONF bundle extension.
  t0=$(now); ovs-ofctl -O OpenFlow13 --bundle add-flows "$target" "$WORK/flows.txt" > "$WORK/bundle13-$name.out" 2>&1 || { head -5 "$WORK/bundle13-$name.out" >&2; exit 1; }; t1=$(now)
  T_BUNDLE13=$(elapsed "$t0" "$t1")
  count=$(ovs-ofctl -O OpenFlow13 dump-flows "$target" | grep -c 'nw_dst=' || true)
  [ "$count" -eq "$N" ] || { echo "$name: expected $N flows after OF1.3 bundle, found $count" >&2; exit 1; }
  ovs-ofctl -O OpenFlow13 del-flows "$target"
  printf '%-6s add-flows %8ss   --bundle add-flows %8ss (OF1.3/ONF %8ss)   mod-flows (non-strict, %d rules) %8ss\n' \
    "$name" "$T_ADD" "$T_BUNDLE" "$T_BUNDLE13" "$N" "$T_MOD"
}

echo "== starting shunt"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms1g -Xmx4g -cp "$CP" \
  io.shunt.ofproto.bench.FlowModBenchSwitch "punix:$WORK/shunt.mgmt" > "$WORK/shunt.log" 2>&1 &
SHUNT_PID=$!
for _ in $(seq 1 100); do [ -S "$WORK/shunt.mgmt" ] && break; sleep 0.1; done
[ -S "$WORK/shunt.mgmt" ] || { cat "$WORK/shunt.log"; echo "shunt did not start" >&2; exit 1; }

echo "== starting a private Open vSwitch (netdev datapath, own network namespace)"
mkdir -p "$WORK/ovs"
export OVS_RUNDIR="$WORK/ovs" OVS_DBDIR="$WORK/ovs" OVS_LOGDIR="$WORK/ovs"
ovsdb-tool create "$WORK/ovs/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server "$WORK/ovs/conf.db" --remote="punix:$WORK/ovs/db.sock" --detach \
  --pidfile="$WORK/ovs/ovsdb-server.pid" --log-file="$WORK/ovs/ovsdb-server.log"
ovs-vsctl --db="unix:$WORK/ovs/db.sock" --no-wait init
ip netns add "$OVS_NETNS"
ip netns exec "$OVS_NETNS" ovs-vswitchd "unix:$WORK/ovs/db.sock" --detach \
  --pidfile="$WORK/ovs/ovs-vswitchd.pid" --log-file="$WORK/ovs/ovs-vswitchd.log"
ovs-vsctl --db="unix:$WORK/ovs/db.sock" --timeout=20 add-br br0 -- set bridge br0 datapath_type=netdev \
  protocols=OpenFlow10,OpenFlow13,OpenFlow14,OpenFlow15
for _ in $(seq 1 100); do [ -S "$WORK/ovs/br0.mgmt" ] && break; sleep 0.1; done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
run_suite shunt "unix:$WORK/shunt.mgmt"
S_ADD=$T_ADD S_BUNDLE=$T_BUNDLE S_MOD=$T_MOD S_BUNDLE13=$T_BUNDLE13
run_suite ovs "unix:$WORK/ovs/br0.mgmt"
O_ADD=$T_ADD O_BUNDLE=$T_BUNDLE O_MOD=$T_MOD O_BUNDLE13=$T_BUNDLE13
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
OVS_VERSION=$(ovs-vswitchd --version | head -1)

"$BENCH_PYTHON" - "$N" "$S_ADD" "$S_BUNDLE" "$S_MOD" "$O_ADD" "$O_BUNDLE" "$O_MOD" "$LOAD_BEFORE" "$LOAD_AFTER" "$OVS_VERSION" \
  "$S_BUNDLE13" "$O_BUNDLE13" \
  > "$RESULTS/ofproto-flowmods.json" <<'PY'
import json, sys
n = int(sys.argv[1])
s = [float(x) for x in sys.argv[2:5]] + [float(sys.argv[11])]
o = [float(x) for x in sys.argv[5:8]] + [float(sys.argv[12])]
names = ["add-flows", "add-flows --bundle", "mod-flows (non-strict)", "add-flows --bundle OF1.3 (ONF)"]
rate = lambda t: round(n / t / 1000.0, 1)
print(json.dumps({
    "title": "ovs-ofctl flow-mods, %d flows (thousand rules/s, higher is better)" % n,
    "unit": "k rules/s",
    "series": [
        {"name": "shunt", "points": [{"x": names[i], "y": rate(s[i])} for i in range(4)]},
        {"name": "Open vSwitch (netdev)", "points": [{"x": names[i], "y": rate(o[i])} for i in range(4)]},
    ],
    "seconds": {"shunt": dict(zip(names, s)), "ovs": dict(zip(names, o))},
    "ratio_ovs_time_over_shunt_time": {names[i]: round(o[i] / s[i], 2) for i in range(4)},
    "flows": n,
    "ovs_version": sys.argv[10],
    "loadavg_before": sys.argv[8], "loadavg_after": sys.argv[9],
}, indent=2))
PY
echo "== ratio (OVS time / shunt time; > 1 means shunt is faster)"
"$BENCH_PYTHON" -c "import json;d=json.load(open('$RESULTS/ofproto-flowmods.json'));[print('%-24s %s' % (k, v)) for k, v in d['ratio_ovs_time_over_shunt_time'].items()]"
echo "load average before: $LOAD_BEFORE, after: $LOAD_AFTER"
bench_plot series "$RESULTS/ofproto-flowmods.json" "$RESULTS/ofproto-flowmods.png"
echo "wrote $RESULTS/ofproto-flowmods.json and .png"
