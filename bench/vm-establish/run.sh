#!/usr/bin/env bash
# Establishment time of a direct link between two QEMU guests, split into its parts (issue 9,
# as the seeds' Figure 6.10 does): a real shunt-vswitchd, the compute agent with its libvirt
# driver, and two VMs of the VNF image (test-vms/image, TCG unless SHUNT_VM_KVM=1), booted once:
# a source VM on port 1 sending a slow steady stream, a sink VM on port 2. Traffic runs on a
# flow that is no direct path (it matches dl_type); each cycle then
#   adds   priority=20,in_port=1,actions=output:2    (port 1 => 2 becomes a direct path)
#   waits  for the link to be DIRECT (`links`) and for its <shmem> in both domains (virsh dumpxml)
#   dwells --dwell seconds with traffic on the link
#   deletes that flow, waits for the link to be gone and the device out of both domains.
# After the cycles the base flow is deleted too: the sink stops after its idle timeout and
# prints its summary, which must show no packet lost, duplicated, reordered or late (the bench
# fails otherwise), and the packets it received must equal port 2's tx in ovs-ofctl dump-ports.
#
# Where each step's time comes from (bench/vm-establish/report.py reads them after the run):
#   host clock   vswitchd's link journal (`link-events`) and log (OpenFlow connection, link
#                region created, each plug answer), the compute agent's log (each plug request's
#                time and the attachDeviceFlags call inside it), this script's clock at the flow-mod
#   guest clock  each guest's serial console: kernel uevent -> PCI mirror entry -> device watcher
#                mapped the link -> the shim transmits on / reads the link (intervals only: the
#                guests' clocks are not the host's)
#
#   bench/vm-establish/run.sh                   20 cycles: bench/results/vm-establish.{json,png}
#   bench/vm-establish/run.sh --runs 3 --out DIR   a short run, results in DIR
#   bench/vm-establish/run.sh --throughput 30   instead of the cycles: the source at full rate
#       (--no-drop), port 2's tx rate over 30 s on the switch path, then over 30 s on the direct
#       link (bench/results/vm-chain-throughput.{json,png}); the sink's losses must equal the
#       switch's counted tx drops, nothing duplicated or reordered
# Options: --runs N (20, measured cycles), --warmup N (1: cycles before those, the first
#   links the guests' JVMs ever map; kept in the JSON, left out of the percentiles), --rate PPS (500, the source's pace), --dwell S (3), --step-timeout MS
#   and --plug-timeout MS (30000 each: vswitchd's --link-step-timeout/--link-plug-timeout; the
#   defaults of 5 and 10 s are for process VNFs, a cold TCG guest can take longer), --keep
#   (leave the work directory), --out DIR (default bench/results).
# Needs root, libvirt (started here when not running: test-vms/image/libvirt-daemons.sh), the
# Maven build (bin/shunt-vswitchd, bin/shunt-compute-agent) and the guest image (built here
# when missing). The compute agent listens on 127.0.0.1:46680 (SHUNT_BENCH_AGENT_PORT).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_init vm-establish
cd "$ROOT"
export LIBVIRT_DEFAULT_URI=qemu:///system

runs=20
warmup=1
rate=500
dwell=3
step_timeout=30000
plug_timeout=30000
keep=0
throughput=0
out="$RESULTS"
agent_port="${SHUNT_BENCH_AGENT_PORT:-46680}"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --dwell) dwell="$2"; shift 2 ;;
    --step-timeout) step_timeout="$2"; shift 2 ;;
    --plug-timeout) plug_timeout="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --throughput) throughput="$2"; rate=0; shift 2 ;;
    --out) out="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,37p' "$0"; exit 0 ;;
    *) echo "bench/vm-establish: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "bench/vm-establish: needs root (libvirt's qemu:///system)" >&2; exit 2; }

tag="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
bridge="vb$tag"
src_port="${bridge}s"
sink_port="${bridge}k"
src_vm="shunt-vmbench-$tag-source"
sink_vm="shunt-vmbench-$tag-sink"
src_log="/var/log/libvirt/qemu/$src_vm.serial.log"
sink_log="/var/log/libvirt/qemu/$sink_vm.serial.log"
mkdir -p "$WORK/state" "$WORK/run"
vswitchd_pid=""
agent_pid=""
log() { echo "bench/vm-establish: $*"; }
fail() { echo "bench/vm-establish: FAIL: $*" >&2; exit 1; }

cleanup() {
  local status=$?
  trap - EXIT
  for d in "$src_vm" "$sink_vm"; do virsh -q destroy "$d" >/dev/null 2>&1 || true; done
  for p in "$vswitchd_pid" "$agent_pid"; do
    [ -n "$p" ] || continue
    kill -TERM "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -f "/dev/shm/shunt-pool-$bridge" "/dev/shm/shunt-port-$src_port" "/dev/shm/shunt-port-$sink_port" \
    /dev/shm/shunt-link-"$bridge"-*
  # The serial consoles, and libvirt's own log of each domain (QEMU's command line and errors).
  for d in "$src_vm" "$sink_vm"; do
    cp -f "/var/log/libvirt/qemu/$d.serial.log" "/var/log/libvirt/qemu/$d.log" "$WORK/" 2>/dev/null || true
    rm -f "/var/log/libvirt/qemu/$d.serial.log" "/var/log/libvirt/qemu/$d.log"
  done
  if [ "$keep" = 1 ] || [ "$status" -ne 0 ]; then
    log "logs kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit $status
}
trap cleanup EXIT

rpc() { "$BENCH_PYTHON" "$ROOT/scripts/shunt-rpc.py" "$WORK/run/shunt.ctl" "$@"; }
ofctl() { ovs-ofctl -O OpenFlow13 "$1" "unix:$WORK/run/$bridge.mgmt" "${@:2}"; }
. "$ROOT/test-vms/image/vm-lib.sh"

# ---- daemons, build, image ----
"$ROOT/test-vms/image/libvirt-daemons.sh"
if [ ! -f "$ROOT/vswitchd/target/classpath.txt" ] || [ ! -f "$ROOT/compute-agent/target/classpath.txt" ]; then
  log "building (mvnw package -DskipTests)"
  nice ./mvnw -B -q -pl vswitchd,compute-agent,test-vms -am package -DskipTests
fi
if [ ! -f "$ROOT/test-vms/target/image/initramfs.gz" ]; then
  SHUNT_IMAGE_SKIP_BUILD=1 "$ROOT/test-vms/image/build-image.sh"
fi
load_start="$(bench_load)"
log "machine load before the run: $load_start"
started=$(date +%s)

"$ROOT/bin/shunt-compute-agent" --token-file "$WORK/agent.token" --listen "127.0.0.1:$agent_port" \
  --port-file "$WORK/agent.port" --region-dir /dev/shm --libvirt qemu:///system >"$WORK/agent.log" 2>&1 &
agent_pid=$!
why="$(await_daemon "$agent_pid" -s "$WORK/agent.port" "$WORK/agent.log")" || fail "shunt-compute-agent: $why"
# --region-group: QEMU opens the <shmem> files as libvirt-qemu (link regions included).
"$ROOT/bin/shunt-vswitchd" --state-dir "$WORK/state" --run-dir "$WORK/run" --region-dir /dev/shm \
  --region-group libvirt-qemu --agent-url "http://127.0.0.1:$(cat "$WORK/agent.port")" \
  --agent-token-file "$WORK/agent.token" --link-step-timeout "$step_timeout" \
  --link-plug-timeout "$plug_timeout" >"$WORK/vswitchd.log" 2>&1 &
vswitchd_pid=$!
why="$(await_daemon "$vswitchd_pid" -S "$WORK/run/shunt.ctl" "$WORK/vswitchd.log")" || fail "shunt-vswitchd: $why"
rpc del-br '{"bridge":"br0","if-exists":true}' >/dev/null
rpc add-br "{\"bridge\":\"$bridge\"}" >/dev/null
for _ in $(seq 1 300); do [ -S "$WORK/run/$bridge.mgmt" ] && break; sleep 0.1; done
rpc set-fail-mode "{\"bridge\":\"$bridge\",\"mode\":\"secure\"}" >/dev/null
rpc add-port "{\"bridge\":\"$bridge\",\"port\":\"$src_port\"}" >/dev/null
rpc add-port "{\"bridge\":\"$bridge\",\"port\":\"$sink_port\"}" >/dev/null
for _ in $(seq 1 300); do ofctl show >/dev/null 2>&1 && break; sleep 0.1; done
# Matches dl_type as well: not every packet from port 1, so no direct path (DESIGN.md 4.1).
ofctl add-flow "priority=10,in_port=1,dl_type=0x0800,actions=output:2"
pool="/dev/shm/shunt-pool-$bridge"
log "switch up: bridge $bridge, $src_port (ofport 1) -> $sink_port (ofport 2); link step and plug timeouts" \
  "$step_timeout / $plug_timeout ms"

# ---- the two VMs, booted once ----
# The sink ends 30 s after the last packet (the base flow is deleted after the cycles); the
# source sends until its domain is destroyed.
"$ROOT/test-vms/image/start-vm.sh" "$sink_vm" sink "--port,$sink_port,--idle-timeout,30s" \
  "$pool" "/dev/shm/shunt-port-$sink_port" >/dev/null
await_log "$sink_log" "attached to port '$sink_port'" 400 || fail "sink VM never attached: $(tail -20 "$sink_log")"
log "sink VM attached after $(( $(date +%s) - started )) s"
"$ROOT/test-vms/image/start-vm.sh" "$src_vm" source "--port,$src_port,--rate,$rate,--no-drop" \
  "$pool" "/dev/shm/shunt-port-$src_port" >/dev/null
await_log "$src_log" "attached to port '$src_port'" 400 || fail "source VM never attached: $(tail -20 "$src_log")"
log "source VM attached after $(( $(date +%s) - started )) s"
domain_type="$(virsh dumpxml "$src_vm" | sed -n "s/^<domain type='\([a-z]*\)'.*/\1/p")"
sleep 5   # traffic on the switch path, both JVMs past their start

# Once the traffic has stopped: waits (at most 120 s) for the sink VM to end after its idle
# timeout and prints the summary line it wrote on its console.
sink_summary() {
  local line
  for _ in $(seq 1 240); do
    virsh -q domstate "$sink_vm" >/dev/null 2>&1 || break
    sleep 0.5
  done
  ! virsh -q domstate "$sink_vm" >/dev/null 2>&1 || fail "sink VM still running 120 s after the traffic stopped"
  line="$(grep -a '^{"program":"sink"' "$sink_log" | tail -1 | tr -d '\r')"
  [ -n "$line" ] || fail "no sink summary on the sink's console: $(tail -20 "$sink_log")"
  echo "$line"
}
# Port 2's tx rate over $1 seconds, packets per second.
window_pps() {
  local a b t0 t1
  a=$(port_pkts 2 tx); t0=$(now)
  sleep "$1"
  b=$(port_pkts 2 tx); t1=$(now)
  awk "BEGIN{printf \"%.0f\", ($b - $a) / ($t1 - $t0)}"
}
if [ "$throughput" -gt 0 ]; then
  load_switch="$(cut -d' ' -f1 /proc/loadavg)"
  pps_switch=$(window_pps "$throughput")
  log "switch path: port 2 tx $pps_switch packets/s over $throughput s (load $load_switch)"
  ofctl add-flow "priority=20,in_port=1,actions=output:2"
  state="$(await_state DIRECT 300)" || fail "no DIRECT link within 300 s of the flow-mod (links: $state)"
  sleep 3
  load_direct="$(cut -d' ' -f1 /proc/loadavg)"
  pps_direct=$(window_pps "$throughput")
  log "direct link: port 2 tx $pps_direct packets/s over $throughput s (load $load_direct)"
  ofctl del-flows --strict "priority=20,in_port=1"
  await_state none 300 >/dev/null || fail "link not reverted within 300 s"
  load_end="$(bench_load)"
  # The source runs until its domain goes; stop its traffic by deleting the base flow.
  ofctl del-flows
  summary="$(sink_summary)"
  drops=$(port_drops 2); tx2=$(port_pkts 2 tx)
  "$BENCH_PYTHON" - "$summary" "$drops" "$tx2" "$pps_switch" "$pps_direct" "$load_start" "$load_end" "$load_switch" \
    "$load_direct" "$throughput" "$domain_type" "$out" <<'PY' || fail "the sink's counters do not add up"
import json, sys, os, platform
summary, drops, tx2, pps_s, pps_d, load_start, load_end, load_s, load_d, seconds, domain, out = sys.argv[1:]
s = json.loads(summary)
ok = s["duplicated"] == 0 and s["reordered"] == 0 and s["received"] == int(tx2)
print("sink: received %d = port 2 tx %s, lost %d (switch tx drops %s), duplicated %d, reordered %d"
      % (s["received"], tx2, s["lost"], drops, s["duplicated"], s["reordered"]))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
res = {"title": "VM -> VM, N=1, 64-byte frames, %s guests: packets/s at port 2 (load %s -> %s)" % (domain, load_start, load_end),
       "unit": "packets/s",
       "series": [{"name": "switch path", "points": [{"x": "N=1", "y": int(pps_s)}]},
                  {"name": "direct link", "points": [{"x": "N=1", "y": int(pps_d)}]}],
       "window_seconds": int(seconds), "switch_pps": int(pps_s), "direct_pps": int(pps_d),
       "direct_over_switch": round(int(pps_d) / int(pps_s), 2) if int(pps_s) else None,
       "load_during_switch_window": load_s, "load_during_direct_window": load_d,
       "machine": {"cpu": cpu, "cores": os.cpu_count(), "domain_type": domain},
       "sink": {k: s[k] for k in ("received", "lost", "duplicated", "reordered", "late")}, "switch_tx_drops": int(drops)}
json.dump(res, open(os.path.join(out, "vm-chain-throughput.json"), "w"), indent=2)
print("direct / switch: %s" % res["direct_over_switch"])
sys.exit(0 if ok else 1)
PY
  bench_plot series "$out/vm-chain-throughput.json" "$out/vm-chain-throughput.png" || true
  virsh -q destroy "$src_vm" >/dev/null 2>&1 || true
  log "done in $(( $(date +%s) - started )) s: $out/vm-chain-throughput.json"
  exit 0
fi

# ---- the cycles ----
cycles="$WORK/cycles.jsonl"
: >"$cycles"
total=$((warmup + runs))
for run in $(seq 1 "$total"); do
  virsh -q domstate "$src_vm" >/dev/null 2>&1 || fail "source VM gone before cycle $run: $(tail -5 "$src_log")"
  virsh -q domstate "$sink_vm" >/dev/null 2>&1 || fail "sink VM gone before cycle $run: $(tail -5 "$sink_log")"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  t_flow=$(now)
  ofctl add-flow "priority=20,in_port=1,actions=output:2"
  state="$(await_state DIRECT 300)" || fail "cycle $run: no DIRECT link within 300 s of the flow-mod (links: $state)"
  t_direct=$(now)
  link="$(link_state | cut -d: -f1)"
  for d in "$src_vm" "$sink_vm"; do
    has_shmem "$d" "$link" || fail "cycle $run: virsh dumpxml $d does not show $link"
  done
  sleep "$dwell"
  t_del=$(now)
  ofctl del-flows --strict "priority=20,in_port=1"
  state="$(await_state none 300)" || fail "cycle $run: link not reverted within 300 s of deleting its flow (links: $state)"
  t_gone=$(now)
  for _ in $(seq 1 300); do
    has_shmem "$src_vm" "$link" || has_shmem "$sink_vm" "$link" || break
    sleep 0.2
  done
  ! has_shmem "$src_vm" "$link" && ! has_shmem "$sink_vm" "$link" || fail "cycle $run: $link still plugged 60 s after the revert"
  t_unplugged=$(now)
  printf '{"run":%d,"warmup":%s,"link":"%s","t_flow":%s,"t_direct_seen":%s,"t_del":%s,"t_gone_seen":%s,"t_unplugged_seen":%s,"load1":%s}\n' \
    "$run" "$([ "$run" -le "$warmup" ] && echo true || echo false)" "$link" "$t_flow" "$t_direct" "$t_del" "$t_gone" "$t_unplugged" "$load" >>"$cycles"
  log "cycle $run/$total$([ "$run" -le "$warmup" ] && echo " (warm-up)"): $link DIRECT $(awk "BEGIN{printf \"%.1f\", $t_direct - $t_flow}") s after the flow-mod," \
    "gone $(awk "BEGIN{printf \"%.1f\", $t_gone - $t_del}") s after its deletion, unplugged from both" \
    "$(awk "BEGIN{printf \"%.1f\", $t_unplugged - $t_del}") s (load $load)"
  sleep 2   # the guests' unplug events settle before the next plug
done
rpc link-events "{\"bridge\":\"$bridge\",\"limit\":1024}" >"$WORK/link-events.json"
load_end="$(bench_load)"

# ---- end of traffic: the sink's summary ----
ofctl del-flows
summary="$(sink_summary)"
ofctl dump-ports >"$WORK/dump-ports.txt"
virsh -q destroy "$src_vm" >/dev/null 2>&1 || true
cp -f "$src_log" "$sink_log" "$WORK/"
echo "$summary" >"$WORK/sink-summary.json"
log "sink: $(cut -c1-200 <<<"$summary")"

# ---- the report ----
"$BENCH_PYTHON" "$ROOT/bench/vm-establish/report.py" --work "$WORK" --out "$out" \
  --source-log "$WORK/$(basename "$src_log")" --sink-log "$WORK/$(basename "$sink_log")" \
  --domain-type "$domain_type" --runs "$runs" --warmup "$warmup" --rate "$rate" --dwell "$dwell" --step-timeout "$step_timeout" \
  --plug-timeout "$plug_timeout" --load-start "$load_start" --load-end "$load_end" \
  --elapsed "$(( $(date +%s) - started ))" --nice "$(nice)"
bench_matplotlib
bench_plot stacked "$out/vm-establish.json" "$out/vm-establish.png"
log "done in $(( $(date +%s) - started )) s: $out/vm-establish.json, $out/vm-establish.png; load after: $(bench_load)"
