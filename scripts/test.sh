#!/usr/bin/env bash
# The test command of the README: sets the machine up, then builds and runs
# every module's tests (unit, multi-process, real ovs-ofctl/os-ken peers).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
. "$root/scripts/env.sh"
shunt_find_jdk
cd "$root"
echo "shunt test: model-checking the direct-link protocol with spin"
docs/model/check-model.sh
./mvnw -B -ntp verify "$@"
# The chain benchmark's smoke test (bench/chain/run.sh --quick: every path moves packets, the
# direct path loses nothing) needs root, OVS-DPDK and 2-3 quiet minutes: opt-in.
if [ "${SHUNT_BENCH_SMOKE:-0}" = 1 ]; then
  echo "shunt test: chain benchmark smoke test (bench/chain/run.sh --quick)"
  bench/chain/run.sh --quick
fi
