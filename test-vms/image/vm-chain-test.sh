#!/usr/bin/env bash
# End-to-end VM test (issue 9): a real shunt-vswitchd, two QEMU guests of the VNF image (TCG),
# each attached to a dpdkr port through its <shmem> devices: source VM -> switch -> sink VM.
# Checks the sink's own counters (every packet once, in order) and ovs-ofctl dump-ports, and
# prints the measured boot and attach times. With --direct (needs the vswitchd link manager
# and a compute agent with the libvirt driver) it also sends through a direct link.
#
# Usage: test-vms/image/vm-chain-test.sh [--count N] [--rate PPS] [--keep]
# Needs: root, libvirtd running (vm-tests.sh starts it), the image built (build-image.sh),
# the Maven build done (bin/shunt-vswitchd). Logs stay in the printed work directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/scripts/env.sh"
shunt_find_jdk >/dev/null
export LIBVIRT_DEFAULT_URI=qemu:///system

count=20000
rate=20000
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "vm-chain-test: unknown option $1" >&2; exit 2 ;;
  esac
done

tag="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
bridge="vm$tag"
src_port="${bridge}s"
sink_port="${bridge}k"
src_vm="shunt-$bridge-source"
sink_vm="shunt-$bridge-sink"
work="$(mktemp -d /tmp/shunt-vm-chain.XXXXXX)"
mkdir -p "$work/state" "$work/run"
vswitchd_pid=""
log() { echo "vm-chain-test: $*"; }
fail() { echo "vm-chain-test: FAIL: $*" >&2; exit 1; }

cleanup() {
  local status=$?
  trap - EXIT
  for d in "$src_vm" "$sink_vm"; do virsh -q destroy "$d" >/dev/null 2>&1 || true; done
  if [ -n "$vswitchd_pid" ]; then
    kill -TERM "$vswitchd_pid" 2>/dev/null || true
    wait "$vswitchd_pid" 2>/dev/null || true
  fi
  if [ "$keep" != 1 ]; then
    rm -f "/dev/shm/shunt-pool-$bridge" "/dev/shm/shunt-port-$src_port" "/dev/shm/shunt-port-$sink_port" \
      /dev/shm/shunt-link-"$bridge"-*
  fi
  cp -f "/var/log/libvirt/qemu/$src_vm.serial.log" "/var/log/libvirt/qemu/$sink_vm.serial.log" "$work/" 2>/dev/null || true
  rm -f "/var/log/libvirt/qemu/$src_vm.serial.log" "/var/log/libvirt/qemu/$sink_vm.serial.log"
  log "logs in $work"
  exit $status
}
trap cleanup EXIT

rpc() { /usr/bin/python3 "$root/scripts/shunt-rpc.py" "$work/run/shunt.ctl" "$@"; }
ofctl() { ovs-ofctl -O OpenFlow13 "$1" "unix:$work/run/$bridge.mgmt" "${@:2}"; }
# Seconds (with decimals) since the epoch.
now() { date +%s.%N; }
elapsed() { echo "$(now) $1" | awk '{printf "%.1f", $1 - $2}'; }
# Waits until file $1 contains $2, at most $3 seconds.
await_log() {
  local file="$1" text="$2" limit="$3" start
  start=$(date +%s)
  until grep -qF "$text" "$file" 2>/dev/null; do
    [ $(( $(date +%s) - start )) -lt "$limit" ] || return 1
    sleep 0.2
  done
}

virsh -q list >/dev/null || fail "libvirtd is not reachable (run test-vms/image/vm-tests.sh, or virtlogd -d && libvirtd -d)"
[ -f "$root/test-vms/target/image/initramfs.gz" ] || fail "no guest image: run test-vms/image/build-image.sh"

"$root/bin/shunt-vswitchd" --state-dir "$work/state" --run-dir "$work/run" --region-dir /dev/shm \
  >"$work/vswitchd.log" 2>&1 &
vswitchd_pid=$!
for _ in $(seq 1 600); do
  [ -S "$work/run/shunt.ctl" ] && break
  kill -0 "$vswitchd_pid" 2>/dev/null || fail "shunt-vswitchd exited: $(tail -5 "$work/vswitchd.log")"
  sleep 0.1
done
# The embedded default bridge br0 would share /dev/shm names with other runs: use our own.
rpc del-br '{"bridge":"br0","if-exists":true}' >/dev/null
rpc add-br "{\"bridge\":\"$bridge\"}" >/dev/null
for _ in $(seq 1 300); do [ -S "$work/run/$bridge.mgmt" ] && break; sleep 0.1; done
rpc set-fail-mode "{\"bridge\":\"$bridge\",\"mode\":\"secure\"}" >/dev/null
rpc add-port "{\"bridge\":\"$bridge\",\"port\":\"$src_port\"}" >/dev/null
rpc add-port "{\"bridge\":\"$bridge\",\"port\":\"$sink_port\"}" >/dev/null
for _ in $(seq 1 300); do ofctl show >/dev/null 2>&1 && break; sleep 0.1; done
ofctl add-flow "in_port=1,actions=output:2"
pool="/dev/shm/shunt-pool-$bridge"
log "switch up: bridge $bridge, $src_port (ofport 1) -> $sink_port (ofport 2)"

sink_log="/var/log/libvirt/qemu/$sink_vm.serial.log"
src_log="/var/log/libvirt/qemu/$src_vm.serial.log"
t0=$(now)
"$here/start-vm.sh" "$sink_vm" sink "--port,$sink_port,--count,$count,--idle-timeout,60s" \
  "$pool" "/dev/shm/shunt-port-$sink_port" >/dev/null
await_log "$sink_log" "init at" 120 || fail "sink VM did not boot: $(cat "$sink_log" 2>/dev/null)"
sink_init=$(elapsed "$t0")
await_log "$sink_log" "attached to port '$sink_port'" 300 || fail "sink VM never attached: $(cat "$sink_log")"
sink_attached=$(elapsed "$t0")
log "sink VM: init after ${sink_init} s, port attached after ${sink_attached} s"

t1=$(now)
"$here/start-vm.sh" "$src_vm" source "--port,$src_port,--count,$count,--rate,$rate,--no-drop" \
  "$pool" "/dev/shm/shunt-port-$src_port" >/dev/null
await_log "$src_log" "attached to port '$src_port'" 300 || fail "source VM never attached: $(cat "$src_log")"
log "source VM: port attached after $(elapsed "$t1") s"

# Both guests power off when their program ends (the sink after --count packets).
# (virsh domstate fails once a transient domain is gone.)
for _ in $(seq 1 600); do
  virsh -q domstate "$sink_vm" >/dev/null 2>&1 || break
  sleep 0.5
done
! virsh -q domstate "$sink_vm" >/dev/null 2>&1 || fail "sink VM still running after 300 s: $(tail -5 "$sink_log")"
summary="$(grep -a '^{"program":"sink"' "$sink_log" | tail -1 | tr -d '\r')"
[ -n "$summary" ] || fail "no sink summary on the sink's console: $(tail -20 "$sink_log")"
log "sink: $summary"
field() { /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$summary" "$1"; }
[ "$(field received)" = "$count" ] || fail "sink received $(field received), expected $count"
for f in lost duplicated reordered late foreign; do
  [ "$(field "$f")" = 0 ] || fail "sink counted $(field "$f") $f packets"
done
ports="$(ofctl dump-ports)"
echo "$ports" >"$work/dump-ports.txt"
rx1=$(awk '$1=="port" && $2=="1:" {sub(/pkts=/,"",$4); sub(/,/,"",$4); print $4}' <<<"$ports")
tx2=$(awk '$1=="port" && $2=="2:" {p=1; next} p && $1=="tx" {sub(/pkts=/,"",$2); sub(/,/,"",$2); print $2; exit}' <<<"$ports")
[ "$rx1" = "$count" ] || fail "dump-ports: port 1 rx $rx1, expected $count"
[ "$tx2" = "$count" ] || fail "dump-ports: port 2 tx $tx2, expected $count"
log "PASS: $count packets source VM -> $bridge -> sink VM, none lost, duplicated or reordered;" \
  "dump-ports port 1 rx $rx1, port 2 tx $tx2"
