#!/usr/bin/env bash
# Starts virtlogd and libvirtd by hand when qemu:///system does not answer (these machines
# have no systemd, FACTS.md). Idempotent; needs root. The default network is left stopped.
set -euo pipefail
export LIBVIRT_DEFAULT_URI=qemu:///system
if virsh -q list >/dev/null 2>&1; then
  exit 0
fi
command -v libvirtd >/dev/null || { echo "libvirt-daemons: libvirtd missing: SHUNT_VM_TESTS=1 scripts/setup.sh installs it" >&2; exit 1; }
pgrep -x virtlogd >/dev/null || virtlogd -d
pgrep -x libvirtd >/dev/null || libvirtd -d
for _ in $(seq 1 100); do
  virsh -q list >/dev/null 2>&1 && { echo "libvirt-daemons: virtlogd and libvirtd running"; exit 0; }
  sleep 0.1
done
echo "libvirt-daemons: libvirtd did not answer on qemu:///system within 10 s" >&2
exit 1
