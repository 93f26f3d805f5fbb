#!/usr/bin/env bash
# The chain benchmark of record (DESIGN.md §8, issue 11): source -> N forwarders -> sink,
# for each N and frame size, through (a) shunt's switch path (direct links off), (b) shunt
# with direct links (measured once every hop is DIRECT), (c) Open vSwitch 3.1 with DPDK
# (Debian openvswitch-switch-dpdk) with dpdk-testpmd VNFs on vhost-user ports, all in one run;
# then latency at a fixed rate and the establishment/revert time of a direct link.
#
#   bench/chain/run.sh                      full run (~15 min): JSON, PNGs, docs/benchmarks-chain.md
#   bench/chain/run.sh --quick              smoke test (< 3 min): N=1, 64 bytes, every path moves
#                                           packets, the direct path loses nothing; results stay in
#                                           a temp dir, exit status 1 on a failed check
#   bench/chain/run.sh --n 1,4 --sizes 64   a subset (written to bench/results/ like a full run)
#   options after these go to bench/chain/chain.py (--paths, --warmup, --window,
#   --latency-rate, --establish-runs, ...; see its --help)
#
# Needs root (hugepages for DPDK, a network namespace for the private OVS instance).
# Placement: the switch (shunt-vswitchd with every thread, or ovs-vswitchd with its PMD thread)
# on CPU 1, every VNF process free on CPUs 0-1 (see docs/benchmarks-chain.md).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_init chain
cd "$ROOT"

quick=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --n) args+=(--n "$2"); shift 2 ;;
    --sizes) args+=(--sizes "$2"); shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "bench/chain: needs root (hugepages for DPDK, a network namespace for OVS)" >&2
  exit 2
fi
if [ ! -x /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk ] || ! command -v dpdk-testpmd >/dev/null; then
  echo "bench/chain: installing openvswitch-switch-dpdk, dpdk and dpdk-dev (OVS-DPDK and dpdk-testpmd, the anchor)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q openvswitch-switch-dpdk dpdk dpdk-dev >/dev/null   # dpdk-dev has dpdk-testpmd
fi
# OVS takes 256 MiB, each testpmd 64 MiB (2 MiB pages): 1024 pages leave room for others.
if [ "$(cat /proc/sys/vm/nr_hugepages)" -lt 1024 ]; then
  echo 1024 > /proc/sys/vm/nr_hugepages
fi
if ! grep -qs ' /dev/hugepages hugetlbfs ' /proc/mounts; then
  mkdir -p /dev/hugepages && mount -t hugetlbfs none /dev/hugepages
fi

echo "bench/chain: building vswitchd, compute-agent, test-vms (./mvnw -q -DskipTests package)"
./mvnw -B -q -pl vswitchd,compute-agent,test-vms -am package -DskipTests 2>&1 | grep -v -E '^WARNING' || true

echo "machine load before the run: $(bench_load)"
if [ "$quick" = 1 ]; then
  start=$(date +%s)
  /usr/bin/python3 "$ROOT/bench/chain/chain.py" --root "$ROOT" --work "$WORK" --out "$WORK/chain-quick.json" \
      --n 1 --sizes 64 --warmup 1 --window 2 --no-latency --establish-runs 5 --check "${args[@]}"
  echo "machine load after the run: $(bench_load); quick run took $(( $(date +%s) - start )) s"
  exit 0
fi
/usr/bin/python3 "$ROOT/bench/chain/chain.py" --root "$ROOT" --work "$WORK" --out "$RESULTS/chain.json" "${args[@]}" \
    || echo "bench/chain: some configurations failed; see \"errors\" in $RESULTS/chain.json"
echo "machine load after the run: $(bench_load)"
bench_matplotlib
/usr/bin/python3 "$ROOT/bench/chain/report.py" "$RESULTS/chain.json" "$RESULTS" "$ROOT/docs/benchmarks-chain.md" \
    "$ROOT/bench/plot.py"
