#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine for shunt: the peers the tests talk to
# (ovs-ofctl, ovs-testcontroller, os-ken, spin), hugepages, and JDK 25; with
# SHUNT_VM_TESTS=1 also libvirt and QEMU for the VM tests.
# Idempotent; installs only what is missing. Needs root for apt and hugepages.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/env.sh"

packages=(openvswitch-common openvswitch-testcontroller python3-os-ken spin iproute2 procps iputils-ping iperf3 ethtool curl)
# curl: the compute-agent test runs the exact plug command vswitchd logs when no agent answers.
# The VM tests (issue 9, test-vms/image/vm-tests.sh) run only when SHUNT_VM_TESTS=1: libvirt,
# QEMU and busybox for the guest image's tools. ~25 s to install.
if [ "${SHUNT_VM_TESTS:-0}" = 1 ]; then
  packages+=(libvirt-daemon-system libvirt-clients qemu-system-x86 busybox-static)
fi
# Bench-only peers are installed by the bench scripts themselves.

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "shunt setup: please install as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "shunt setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Hugepages for the hugetlbfs region tests (DESIGN.md section 2). A machine
# without them still runs everything on /dev/shm; the tests say what they skip.
if [ "$(id -u)" -eq 0 ]; then
  if [ "$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)" -lt 256 ]; then
    echo 256 > /proc/sys/vm/nr_hugepages 2>/dev/null || echo "shunt setup: could not reserve hugepages" >&2
  fi
  if ! grep -qs ' /dev/hugepages hugetlbfs ' /proc/mounts; then
    mkdir -p /dev/hugepages
    mount -t hugetlbfs none /dev/hugepages 2>/dev/null || echo "shunt setup: could not mount hugetlbfs on /dev/hugepages" >&2
  fi
fi

shunt_find_jdk
echo "shunt setup: JAVA_HOME=$JAVA_HOME"
