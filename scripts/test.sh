#!/usr/bin/env bash
# The test command of the README: sets the machine up, then builds and runs
# every module's tests (unit, multi-process, real ovs-ofctl/os-ken peers);
# SHUNT_VM_TESTS=1 adds the VM tests (test-vms/image/vm-tests.sh describes them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
. "$root/scripts/env.sh"
shunt_find_jdk
cd "$root"
echo "shunt test: model-checking the direct-link protocol with spin"
docs/model/check-model.sh
vm_tests=${SHUNT_VM_TESTS:-0}
if [ "$vm_tests" = 1 ]; then
  # SHUNT_VM_TESTS=1: the VM tests too (issue 9): libvirtd and the guest image before the build's
  # tests (compute-agent's LibvirtDriverTest boots a guest), the VM chain after.
  echo "shunt test: VM tests enabled (SHUNT_VM_TESTS=1): starting libvirtd, building the guest image"
  test-vms/image/libvirt-daemons.sh
  test-vms/image/build-image.sh
fi
./mvnw -B -ntp verify "$@"
if [ "$vm_tests" = 1 ]; then
  test-vms/image/vm-chain-test.sh
fi
# The chain benchmark's smoke test (bench/chain/run.sh --quick: every path moves packets, the
# direct path loses nothing) needs root, OVS-DPDK and 2-3 quiet minutes: opt-in.
if [ "${SHUNT_BENCH_SMOKE:-0}" = 1 ]; then
  echo "shunt test: chain benchmark smoke test (bench/chain/run.sh --quick)"
  bench/chain/run.sh --quick
fi
