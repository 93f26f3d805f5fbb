#!/usr/bin/env bash
# The test command of the README: sets the machine up, then builds and runs
# every module's tests (unit, multi-process, real ovs-ofctl/os-ken peers), the VM tests
# (libvirtd, QEMU under TCG, the guest image: test-vms/image/vm-tests.sh describes them;
# as root, unless SHUNT_VM_TESTS=0) and the chain benchmark's smoke test (unless
# SHUNT_BENCH_SMOKE=0).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${SHUNT_VM_TESTS:-}" ]; then
  # The VM tests need root (libvirtd, hugepages); ~5 min on a quiet machine.
  if [ "$(id -u)" -eq 0 ]; then SHUNT_VM_TESTS=1; else SHUNT_VM_TESTS=0; fi
fi
export SHUNT_VM_TESTS
"$root/scripts/setup.sh"
. "$root/scripts/env.sh"
shunt_find_jdk
cd "$root"
echo "shunt test: model-checking the direct-link protocol with spin"
docs/model/check-model.sh
vm_tests=${SHUNT_VM_TESTS:-0}
if [ "$vm_tests" = 1 ]; then
  # The VM tests (issue 9): libvirtd and the guest image before the build's
  # tests (compute-agent's LibvirtDriverTest boots a guest), the VM chain after.
  echo "shunt test: VM tests (SHUNT_VM_TESTS=0 leaves them out): starting libvirtd, building the guest image"
  test-vms/image/libvirt-daemons.sh
  test-vms/image/build-image.sh
fi
./mvnw -B -ntp verify "$@"
if [ "$vm_tests" = 1 ]; then
  # 150,000 packets at 1,000/s: traffic outlasts the guests' switch to the link and back under TCG.
  test-vms/image/vm-chain-test.sh --direct --outage --count 150000 --rate 1000
fi
# The chain benchmark's smoke test (issue 11: bench/chain/run.sh --quick, ~1.5 min plus the
# OVS-DPDK install on a new machine): every path (shunt switch, direct links, OVS-DPDK) moves
# packets and the direct path loses nothing; speed is not checked. It needs root (hugepages, a
# network namespace for OVS); SHUNT_BENCH_SMOKE=0 leaves it out.
if [ "${SHUNT_BENCH_SMOKE:-1}" = 1 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "shunt test: chain benchmark smoke test (bench/chain/run.sh --quick)"
    bench/chain/run.sh --quick
  else
    echo "shunt test: chain benchmark smoke test skipped: it needs root" >&2
  fi
fi
