#!/usr/bin/env bash
# The VM tests of issue 9, real libvirtd and QEMU (TCG): installs what they need
# (SHUNT_VM_TESTS=1 scripts/setup.sh), starts virtlogd/libvirtd, builds the guest image,
# runs the compute agent's libvirt driver test (LibvirtDriverTest, one guest) and the
# end-to-end chain (vm-chain-test.sh: source VM -> shunt-vswitchd -> sink VM, then a direct link).
# scripts/test.sh (and so .ci/run) runs the same steps when SHUNT_VM_TESTS=1.
# Usage: test-vms/image/vm-tests.sh [vm-chain-test.sh options]   (default: --direct --outage --count 150000 --rate 1000)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export SHUNT_VM_TESTS=1
"$root/scripts/setup.sh"
. "$root/scripts/env.sh"
shunt_find_jdk
"$here/libvirt-daemons.sh"
"$here/build-image.sh"
cd "$root"
./mvnw -B -ntp -q -pl compute-agent,vswitchd -am package -DskipTests
./mvnw -B -ntp -pl compute-agent -am verify -Dtest='io.shunt.agent.libvirt.**' -Dsurefire.failIfNoSpecifiedTests=false
if [ $# -eq 0 ]; then
  set -- --direct --outage --count 150000 --rate 1000
fi
"$here/vm-chain-test.sh" "$@"
