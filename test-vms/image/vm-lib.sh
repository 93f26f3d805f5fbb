# Shell helpers shared by the VM scripts (test-vms/image/vm-chain-test.sh,
# bench/vm-establish/run.sh). Sourced, not run. The caller defines rpc (vswitchd's
# management socket) and ofctl (the bridge's OpenFlow socket) and sets bridge.

# Seconds (with decimals) since the epoch, and since $1.
now() { date +%s.%N; }
elapsed() { echo "$(now) $1" | awk '{printf "%.1f", $1 - $2}'; }

# Waits until file $1 contains $2 (a guest's serial log may hold binary bytes), at most $3 s.
await_log() {
  local file="$1" text="$2" limit="$3" start
  start=$(date +%s)
  until grep -qaF "$text" "$file" 2>/dev/null; do
    [ $(( $(date +%s) - start )) -lt "$limit" ] || return 1
    sleep 0.2
  done
}

# Whether domain $1's live XML holds <shmem name='$2'> (no "| grep -q": with pipefail, grep's
# early exit would fail the pipeline through virsh's SIGPIPE).
has_shmem() {
  local xml
  xml="$(virsh dumpxml "$1" 2>/dev/null)" || return 1
  [[ "$xml" == *"<shmem name='$2'>"* ]]
}

# The bridge's links as NAME:STATE words, as vswitchd's method 'links' reports them ("" when
# there is none).
link_state() {
  rpc links "{\"bridge\":\"$bridge\"}" | /usr/bin/python3 -c '
import json, sys
print(" ".join("%s:%s" % (l["name"], l["state"]) for l in json.load(sys.stdin)["links"]))'
}

# Waits (polling every 0.2 s, at most $2 s) until a link is in state $1, or none is left for
# "none"; prints the last state seen when it gives up.
await_state() {
  local want="$1" limit="$2" start state
  start=$(date +%s)
  while :; do
    state="$(link_state)"
    case "$want" in
      none) [ -z "$state" ] && return 0 ;;
      *) [[ "$state" == *":$want"* ]] && return 0 ;;
    esac
    [ $(( $(date +%s) - start )) -lt "$limit" ] || { echo "$state"; return 1; }
    sleep 0.2
  done
}

# Port $1's $2 packets (rx or tx) as ovs-ofctl dump-ports gives them (link traffic included).
port_pkts() {
  ofctl dump-ports | awk -v port="$1:" -v dir="$2" '
    $1 == "port" && $2 == port { p = 1; if (dir == "rx") { sub(/pkts=/, "", $4); sub(/,/, "", $4); print $4; exit } next }
    p && $1 == dir { sub(/pkts=/, "", $2); sub(/,/, "", $2); print $2; exit }'
}

# Port $1's tx drops (what the switch could not deliver into a full VNF ring, counted).
port_drops() {
  ofctl dump-ports | awk -v port="$1:" '
    $1 == "port" && $2 == port { p = 1; next }
    p && $1 == "tx" { for (i = 2; i <= NF; i++) if ($i ~ /^drop=/) { sub(/drop=/, "", $i); sub(/,/, "", $i); print $i; exit } }'
}

# Waits (at most 60 s) until `test $2 $3` holds (-s FILE: written, -S SOCKET: listening)
# for the daemon $1 started; prints why and returns 1 if it exits first or never gets there
# ($4: its log).
await_daemon() {
  local pid="$1" op="$2" path="$3" daemon_log="$4"
  for _ in $(seq 1 600); do
    [ "$op" "$path" ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "it exited: $(tail -5 "$daemon_log")"; return 1; }
    sleep 0.1
  done
  echo "not up within 60 s: $(tail -5 "$daemon_log")"
  return 1
}

# Waits (at most $1 s) for a DIRECT link and checks that each domain named after it holds the
# link's <shmem>; prints the link's name, or why not (status 1).
await_direct_in() {
  local limit="$1" state name d
  shift
  state="$(await_state DIRECT "$limit")" || { echo "no DIRECT link within $limit s (links: $state)"; return 1; }
  name="$(link_state | cut -d: -f1)"
  for d in "$@"; do
    has_shmem "$d" "$name" || { echo "virsh dumpxml $d does not show $name"; return 1; }
  done
  echo "$name"
}
