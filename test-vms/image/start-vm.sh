#!/usr/bin/env bash
# Starts one VNF VM of the guest image (build-image.sh) through libvirt, with the shunt regions
# it needs (its pool and its dpdkr ports) as ivshmem-plain <shmem> devices given at definition
# time. The domain is transient (virsh create): it disappears when the VNF program ends and
# the guest powers off, or on `virsh destroy NAME` (stop-vms.sh).
#
# Usage: start-vm.sh NAME PROGRAM ARGS REGION_FILE...
#   NAME         domain name (also names the serial log)
#   PROGRAM      source | forwarder | sink, or watch (no program: the guest shim's PCI mirror only, logging
#                every device hot-plugged or removed; runs until the domain is destroyed)
#   ARGS         the program's arguments, comma-separated (e.g. --port,p1,--count,1000)
#   REGION_FILE  region files directly in /dev/shm, e.g. /dev/shm/shunt-pool-br0 /dev/shm/shunt-port-p1
#                (libvirt refuses a '/' in a <shmem> name: the switch's --region-dir must be /dev/shm)
# Environment:
#   SHUNT_VM_IMAGE    directory with vmlinuz and initramfs.gz (default: test-vms/target/image)
#   SHUNT_VM_LOG      serial console log (default: /var/log/libvirt/qemu/NAME.serial.log)
#   SHUNT_VM_MEMORY   guest memory in MiB (default 384), SHUNT_VM_JAVA: extra JVM options (comma-separated)
#   SHUNT_VM_DRY_RUN=1 prints the domain XML instead of starting it
#   LIBVIRT_DEFAULT_URI (default qemu:///system)
# QEMU runs as libvirt-qemu: the region files are made group libvirt-qemu, mode 0660, and
# libvirt itself neither creates nor deletes them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ $# -ge 4 ] || { sed -n '2,20p' "$0" >&2; exit 2; }
name="$1" program="$2" args="$3"
shift 3
export LIBVIRT_DEFAULT_URI="${LIBVIRT_DEFAULT_URI:-qemu:///system}"
image="${SHUNT_VM_IMAGE:-$root/test-vms/target/image}"
log="${SHUNT_VM_LOG:-/var/log/libvirt/qemu/$name.serial.log}"
memory="${SHUNT_VM_MEMORY:-384}"
for f in vmlinuz initramfs.gz; do
  [ -f "$image/$f" ] || { echo "start-vm: $image/$f missing: run test-vms/image/build-image.sh" >&2; exit 1; }
done
case "$program" in source|forwarder|sink|watch) ;; *) echo "start-vm: unknown program '$program'" >&2; exit 2 ;; esac
case "$name$args" in *[\ \'\"\<\>\&]*) echo "start-vm: name and args must not hold spaces, quotes, <, > or &" >&2; exit 2 ;; esac

shmem=""
for region in "$@"; do
  case "$region" in
    /dev/shm/*/*|/dev/shm/.*) echo "start-vm: $region: libvirt takes <shmem> files directly in /dev/shm, not in a subdirectory" >&2; exit 1 ;;
    /dev/shm/*) ;;
    *) echo "start-vm: $region: libvirt's ivshmem backend takes files in /dev/shm only" >&2; exit 1 ;;
  esac
  [ -f "$region" ] || { echo "start-vm: no region file $region (is the port added to the switch?)" >&2; exit 1; }
  size=$(stat -c %s "$region")
  # ivshmem BARs are powers of two; shunt sizes every region so (DESIGN.md section 2).
  [ $((size & (size - 1))) -eq 0 ] || { echo "start-vm: $region: size $size is not a power of two" >&2; exit 1; }
  if [ "${SHUNT_VM_DRY_RUN:-0}" != 1 ]; then
    chgrp libvirt-qemu "$region" && chmod 0660 "$region"
  fi
  # libvirt takes no <shmem> under 1 MiB, and QEMU wants the file at least as large as the
  # device. A smaller region (a port region is 64 KiB) gets its file grown to 1 MiB: the header
  # keeps the region's own size, so host and guest map the same bytes and the tail stays unused.
  if [ "$size" -lt 1048576 ]; then
    [ "${SHUNT_VM_DRY_RUN:-0}" = 1 ] || truncate -s 1M "$region"
    size=1048576
  fi
  shmem+="    <shmem name='${region#/dev/shm/}'><model type='ivshmem-plain'/><size unit='K'>$((size / 1024))</size></shmem>
"
done

cmdline="console=ttyS0 quiet panic=-1 shunt.vnf=$program shunt.args=$args shunt.id=$name"
[ -n "${SHUNT_VM_JAVA:-}" ] && cmdline+=" shunt.java=$SHUNT_VM_JAVA"
# KVM only where it works: here /dev/kvm is a paravirtual stub on which guests do not boot
# (FACTS.md), so TCG unless SHUNT_VM_KVM=1.
type=qemu
[ "${SHUNT_VM_KVM:-0}" = 1 ] && type=kvm
xml="<domain type='$type'>
  <name>$name</name>
  <memory unit='MiB'>$memory</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$image/vmlinuz</kernel>
    <initrd>$image/initramfs.gz</initrd>
    <cmdline>$cmdline</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <serial type='file'><source path='$log'/><target port='0'/></serial>
    <memballoon model='none'/>
$shmem  </devices>
</domain>"
if [ "${SHUNT_VM_DRY_RUN:-0}" = 1 ]; then
  echo "$xml"
  exit 0
fi
mkdir -p "$(dirname "$log")"
rm -f "$log"
xmlfile="$(mktemp /tmp/shunt-vm-XXXXXX.xml)"
trap 'rm -f "$xmlfile"' EXIT
echo "$xml" >"$xmlfile"
virsh -q create "$xmlfile" >/dev/null
echo "start-vm: $name started ($program), serial log $log"
