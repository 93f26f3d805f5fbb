#!/usr/bin/env bash
# End-to-end VM test (issue 9): a real shunt-vswitchd, two QEMU guests of the VNF image (TCG),
# each attached to a dpdkr port through its <shmem> devices: source VM -> switch -> sink VM.
# Checks the sink's own counters (every packet once, in order) and ovs-ofctl dump-ports, and
# prints the measured boot and attach times.
# With --direct: a compute agent with the libvirt driver runs beside the switch; traffic starts
# on a flow that is no direct path (it matches dl_type too), then a flowmod makes port 1 => 2
# a direct path: the link region is hot-plugged into both guests (virsh dumpxml shows it), the
# source's shim moves to the link; deleting that flow reverts it and the device is unplugged.
# The sink must still count every packet the source sent, once and in order.
# With --direct --outage, then: libvirtd is stopped and the flowmod is made again; the plug
# fails, the link manager says why and waits to retry, the ports stay on the switch path and
# traffic keeps flowing there; libvirtd is started again and the retry reaches DIRECT.
#
# Usage: test-vms/image/vm-chain-test.sh [--direct [--outage]] [--count N] [--rate PPS] [--keep]
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
direct=0
outage=0
while [ $# -gt 0 ]; do
  case "$1" in
    --direct) direct=1; shift ;;
    --outage) outage=1; shift ;;
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
agent_pid=""
log() { echo "vm-chain-test: $*"; }
fail() { echo "vm-chain-test: FAIL: $*" >&2; exit 1; }

cleanup() {
  local status=$?
  trap - EXIT
  for d in "$src_vm" "$sink_vm"; do virsh -q destroy "$d" >/dev/null 2>&1 || true; done
  for p in "$vswitchd_pid" "$agent_pid"; do
    [ -n "$p" ] || continue
    kill -TERM "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
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
. "$here/vm-lib.sh"

virsh -q list >/dev/null || fail "libvirtd is not reachable (run test-vms/image/vm-tests.sh, or virtlogd -d && libvirtd -d)"
[ -f "$root/test-vms/target/image/initramfs.gz" ] || fail "no guest image: run test-vms/image/build-image.sh"

agent_options=()
if [ "$direct" = 1 ]; then
  "$root/bin/shunt-compute-agent" --token-file "$work/agent.token" --listen 127.0.0.1:0 \
    --port-file "$work/agent.port" --region-dir /dev/shm --libvirt qemu:///system >"$work/agent.log" 2>&1 &
  agent_pid=$!
  why="$(await_daemon "$agent_pid" -s "$work/agent.port" "$work/agent.log")" || fail "shunt-compute-agent: $why"
  agent_options=(--agent-url "http://127.0.0.1:$(cat "$work/agent.port")" --agent-token-file "$work/agent.token")
  log "compute agent with the libvirt driver on port $(cat "$work/agent.port")"
fi
# --region-group: QEMU opens the <shmem> files as libvirt-qemu (link regions included).
"$root/bin/shunt-vswitchd" --state-dir "$work/state" --run-dir "$work/run" --region-dir /dev/shm \
  --region-group libvirt-qemu "${agent_options[@]}" >"$work/vswitchd.log" 2>&1 &
vswitchd_pid=$!
why="$(await_daemon "$vswitchd_pid" -S "$work/run/shunt.ctl" "$work/vswitchd.log")" || fail "shunt-vswitchd: $why"
# The embedded default bridge br0 would share /dev/shm names with other runs: use our own.
rpc del-br '{"bridge":"br0","if-exists":true}' >/dev/null
rpc add-br "{\"bridge\":\"$bridge\"}" >/dev/null
for _ in $(seq 1 300); do [ -S "$work/run/$bridge.mgmt" ] && break; sleep 0.1; done
rpc set-fail-mode "{\"bridge\":\"$bridge\",\"mode\":\"secure\"}" >/dev/null
rpc add-port "{\"bridge\":\"$bridge\",\"port\":\"$src_port\"}" >/dev/null
rpc add-port "{\"bridge\":\"$bridge\",\"port\":\"$sink_port\"}" >/dev/null
for _ in $(seq 1 300); do ofctl show >/dev/null 2>&1 && break; sleep 0.1; done
if [ "$direct" = 1 ]; then
  # Matches dl_type as well: not every packet from port 1, so no direct path (DESIGN.md 4.1).
  ofctl add-flow "priority=10,in_port=1,dl_type=0x0800,actions=output:2"
else
  ofctl add-flow "in_port=1,actions=output:2"
fi
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

if [ "$direct" = 1 ]; then
  sleep 5   # traffic on the switch path first
  tf=$(now)
  ofctl add-flow "priority=20,in_port=1,actions=output:2"
  link_name="$(await_direct_in 120 "$src_vm" "$sink_vm")" \
    || fail "after the flowmod: $link_name; agent log: $(tail -5 "$work/agent.log")"
  log "flowmod -> link DIRECT after $(elapsed "$tf") s: $(link_state)"
  log "virsh dumpxml: $link_name plugged into $src_vm and $sink_vm"
  sleep 10   # traffic on the link
  rpc links "{\"bridge\":\"$bridge\"}" >"$work/links-direct.json"
  tr=$(now)
  ofctl del-flows --strict "priority=20,in_port=1"
  state="$(await_state none 120)" || fail "link not reverted within 120 s after deleting its flow (links: $state)"
  log "flow deleted -> link gone after $(elapsed "$tr") s"
  for _ in $(seq 1 100); do
    has_shmem "$src_vm" "$link_name" || break
    sleep 0.2
  done
  ! has_shmem "$src_vm" "$link_name" || fail "$link_name still in $src_vm after the revert"
  log "virsh dumpxml: $link_name unplugged"
  if [ "$outage" = 1 ]; then
    # libvirtd stopped: the guests (QEMU processes) keep running, the agent cannot plug.
    pkill -x libvirtd || fail "no libvirtd to stop"
    for _ in $(seq 1 100); do virsh -q list >/dev/null 2>&1 || break; sleep 0.1; done
    ! virsh -q list >/dev/null 2>&1 || fail "libvirtd still answers after pkill"
    log "libvirtd stopped"
    tx_before=$(port_pkts 2 tx)
    to=$(now)
    ofctl add-flow "priority=20,in_port=1,actions=output:2"
    retry=""
    for _ in $(seq 1 150); do
      retry="$(rpc link-events "{\"bridge\":\"$bridge\"}" | /usr/bin/python3 -c '
import json, sys
events = [e for e in json.load(sys.stdin)["events"] if e["to"] == "RETRY_WAIT"]
print(events[-1]["reason"] if events else "")')"
      [ -n "$retry" ] && break
      sleep 0.2
    done
    [ -n "$retry" ] || fail "no failed plug recorded within 30 s of the flowmod with libvirtd stopped (links: $(link_state))"
    log "flowmod with libvirtd stopped: plug failed after $(elapsed "$to") s, link manager: $retry"
    sleep 5
    state="$(link_state)"
    [[ "$state" != *":DIRECT"* && "$state" != *":TX_SWITCHED"* && "$state" != *":FENCED"* ]] \
      || fail "link $state while libvirtd is stopped"
    tx_after=$(port_pkts 2 tx)
    [ "$tx_after" -gt "$tx_before" ] || fail "no traffic on the switch path during the outage (port 2 tx $tx_before -> $tx_after)"
    log "during the outage: links '$state', port 2 tx $tx_before -> $tx_after on the switch path"
    "$here/libvirt-daemons.sh" >/dev/null
    tl=$(now)
    log "libvirtd started again"
    link_name="$(await_direct_in 180 "$src_vm" "$sink_vm")" \
      || fail "after libvirtd returned: $link_name; agent log: $(tail -5 "$work/agent.log")"
    log "libvirtd back -> link DIRECT after $(elapsed "$tl") s (retried by the link manager): $(link_state)"
    sleep 5
    ofctl del-flows --strict "priority=20,in_port=1"
    state="$(await_state none 120)" || fail "link not reverted within 120 s after the outage's flow was deleted (links: $state)"
    log "outage's link reverted"
  fi
  rpc link-events "{\"bridge\":\"$bridge\"}" >"$work/link-events.json" 2>/dev/null || true
fi

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
src_summary="$(grep -a '^{"program":"source"' "$src_log" | tail -1 | tr -d '\r')"
[ -n "$src_summary" ] || { sleep 10; src_summary="$(grep -a '^{"program":"source"' "$src_log" | tail -1 | tr -d '\r')"; }
log "source: $src_summary"
[ "$(field received)" = "$count" ] || fail "sink received $(field received), expected $count"
for f in lost duplicated reordered late foreign; do
  [ "$(field "$f")" = 0 ] || fail "sink counted $(field "$f") $f packets"
done
ofctl dump-ports >"$work/dump-ports.txt"
rx1=$(port_pkts 1 rx)
tx2=$(port_pkts 2 tx)
[ "$rx1" = "$count" ] || fail "dump-ports: port 1 rx $rx1, expected $count"
[ "$tx2" = "$count" ] || fail "dump-ports: port 2 tx $tx2, expected $count"
log "PASS: $count packets source VM -> $bridge -> sink VM, none lost, duplicated or reordered;" \
  "dump-ports port 1 rx $rx1, port 2 tx $tx2"
