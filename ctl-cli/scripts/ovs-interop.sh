#!/usr/bin/env bash
# shunt-ctl against a real Open vSwitch 3.1 (ovs-vswitchd with a userspace
# 'netdev' bridge), with ovs-ofctl on the same socket as the reference:
#  1. flows written by ovs-ofctl are dumped identically by shunt-ctl;
#  2. flows written by shunt-ctl are dumped by ovs-ofctl exactly as in 1
#     (so shunt-ctl encodes what ovs-ofctl encodes);
#  3. the same for groups and meters.
# The flows are the left column of ctl-cli/src/test/resources/ovs-ofctl-3.1-flows.tsv
# (the file FlowFormatTest checks the formatter against).
#
# Needs root (a network namespace keeps this OVS away from any other one).
# When ovs-vswitchd is not installed, the Debian package is downloaded and
# unpacked into a temp dir (not installed: no service is started).
# Usage: ctl-cli/scripts/ovs-interop.sh      (exit 0 = all identical)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d /tmp/shunt-ovs-interop.XXXXXX)"
ns="shunt-ovs-$$"

vswitchd="$(command -v ovs-vswitchd || true)"
vsctl="$(command -v ovs-vsctl || true)"
schema=/usr/share/openvswitch/vswitch.ovsschema
if [ -z "$vswitchd" ] || [ -z "$vsctl" ] || [ ! -f "$schema" ]; then
  (cd "$work" && apt-get download openvswitch-switch >/dev/null 2>&1 && dpkg-deb -x openvswitch-switch_*.deb root)
  vswitchd="$work/root/usr/lib/openvswitch-switch/ovs-vswitchd"
  vsctl="$work/root/usr/bin/ovs-vsctl"
  schema="$work/root/usr/share/openvswitch/vswitch.ovsschema"
fi

cleanup() {
  for pid in "$work"/ovs/*.pid; do [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

d="$work/ovs"; mkdir -p "$d"
export OVS_RUNDIR="$d" OVS_DBDIR="$d" OVS_LOGDIR="$d" OVS_SYSCONFDIR="$d"
ovsdb-tool create "$d/conf.db" "$schema"
ip netns add "$ns"
ip netns exec "$ns" ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" --detach --pidfile="$d/ovsdb.pid" --log-file="$d/ovsdb.log"
"$vsctl" --db="unix:$d/db.sock" --no-wait init
ip netns exec "$ns" "$vswitchd" "unix:$d/db.sock" --detach --pidfile="$d/vswitchd.pid" --log-file="$d/vswitchd.log"
"$vsctl" --db="unix:$d/db.sock" --timeout=30 add-br br0 -- set bridge br0 datapath_type=netdev protocols=OpenFlow13
sw="unix:$d/br0.mgmt"
for _ in $(seq 100); do [ -S "$d/br0.mgmt" ] && break; sleep 0.1; done

ctl="$here/bin/shunt-ctl"
[ -n "$(ls "$here"/ctl-cli/target/ctl-cli-*.jar 2>/dev/null)" ] || (cd "$here" && ./mvnw -B -q -pl ctl-cli -am package -DskipTests)
of() { ovs-ofctl -O OpenFlow13 "$@" 2>/dev/null; }
norm() { sed 's/duration=[^,]*, //' | grep -E '^ (cookie|group_id)' | sort; }

grep -v '^#' "$here/ctl-cli/src/test/resources/ovs-ofctl-3.1-flows.tsv" | cut -f1 > "$work/flows.txt"
fail=0

of del-flows "$sw"; of add-flows "$sw" "$work/flows.txt"
of dump-flows "$sw" | norm > "$work/ovs-wrote-ovs-dumped"
"$ctl" dump-flows "$sw" | norm > "$work/ovs-wrote-ctl-dumped"
if diff -u "$work/ovs-wrote-ovs-dumped" "$work/ovs-wrote-ctl-dumped"; then
  echo "PASS dump-flows: $(wc -l < "$work/ovs-wrote-ovs-dumped") flows written by ovs-ofctl, same lines from shunt-ctl"
else fail=1; fi

of del-flows "$sw"; "$ctl" add-flows "$sw" "$work/flows.txt"
of dump-flows "$sw" | norm > "$work/ctl-wrote-ovs-dumped"
if diff -u "$work/ovs-wrote-ovs-dumped" "$work/ctl-wrote-ovs-dumped"; then
  echo "PASS add-flows: the same flows written by shunt-ctl, ovs-ofctl dumps the same lines"
else fail=1; fi

groups=("group_id=1,type=select,bucket=weight:10,output:1,bucket=weight:20,output:2"
        "group_id=2,type=all,bucket=output:1,bucket=actions=set_field:00:00:00:00:00:01->eth_src,output:2"
        "group_id=3,type=ff,bucket=watch_port:1,output:1,bucket=watch_port:2,output:2"
        "group_id=4,type=indirect,bucket=output:7")
of del-flows "$sw"; of del-groups "$sw"
for g in "${groups[@]}"; do of add-group "$sw" "$g"; done
of dump-groups "$sw" | norm > "$work/groups-ovs"
of del-groups "$sw"
for g in "${groups[@]}"; do "$ctl" add-group "$sw" "$g"; done
"$ctl" dump-groups "$sw" | norm > "$work/groups-ctl"
if diff -u "$work/groups-ovs" "$work/groups-ctl" && diff -u "$work/groups-ovs" <(of dump-groups "$sw" | norm); then
  echo "PASS groups: written by either tool, dumped identically by both"
else fail=1; fi

"$ctl" add-meter "$sw" 'meter=1,kbps,burst,band=type=drop,rate=1000,burst_size=100'
if diff -u <(of dump-meters "$sw" | sed 1d) <("$ctl" dump-meters "$sw"); then
  echo "PASS meters: shunt-ctl's meter dumped identically by both"
else fail=1; fi

exit $fail
