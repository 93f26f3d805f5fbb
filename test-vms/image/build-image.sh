#!/usr/bin/env bash
# Builds the VNF guest image (DESIGN.md section 8, issue 9) from Debian packages only:
#   OUT/vmlinuz          the Debian cloud kernel (linux-image-*-cloud-amd64, extracted, not installed)
#   OUT/initramfs.gz     busybox-static + glibc (from the libc6 package) + a jlink'ed Java runtime
#                        + the test-vms VNF programs, with test-vms/image/init as /init
#   OUT/image.txt        what went in (kernel, packages, Java modules, sizes)
# Usage: test-vms/image/build-image.sh [OUT]        (default OUT: test-vms/target/image)
# Environment: SHUNT_IMAGE_CACHE (default /var/cache/shunt-image) keeps the downloaded
# packages and the jlink'ed runtime between runs; SHUNT_IMAGE_SKIP_BUILD=1 uses the jars
# already in test-vms/target instead of running Maven.
# Needs apt-get (to download, not to install: nothing is installed on the host) and JDK 25.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/scripts/env.sh"
shunt_find_jdk

out="$(mkdir -p "${1:-$root/test-vms/target/image}" && cd "${1:-$root/test-vms/target/image}" && pwd)"
cache="${SHUNT_IMAGE_CACHE:-/var/cache/shunt-image}"
mkdir -p "$cache/debs"
work="$(mktemp -d "${TMPDIR:-/tmp}/shunt-image.XXXXXX")"
trap 'rm -rf "$work"' EXIT
started=$(date +%s)
log() { echo "build-image: $*" >&2; }

# Downloads Debian package $1 (exact name, the candidate version) into the cache once and
# prints the path of its .deb. apt-get download writes into the current directory.
fetch_deb() {
  local name="$1" version deb
  version="$(apt-cache policy "$name" | awk '/Candidate:/{print $2}')"
  if [ -z "$version" ] || [ "$version" = "(none)" ]; then
    log "package $name has no candidate version (run apt-get update?)"
    return 1
  fi
  deb="$(ls "$cache/debs/${name}_${version//:/%3a}_"*.deb 2>/dev/null | head -1 || true)"
  if [ -z "$deb" ]; then
    log "downloading $name $version"
    (cd "$cache/debs" && apt-get download -q "$name=$version" >/dev/null 2>&1) \
      || { log "apt-get download $name=$version failed"; return 1; }
    deb="$(ls "$cache/debs/${name}_${version//:/%3a}_"*.deb | head -1)"
  fi
  echo "$deb"
}

# Extracts a .deb once into the cache and prints the directory.
extract_deb() {
  local deb="$1" dir
  dir="$cache/extracted/$(basename "$deb" .deb)"
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir.partial"
    dpkg-deb -x "$deb" "$dir.partial"
    mv "$dir.partial" "$dir"
  fi
  echo "$dir"
}

# ---- kernel: the exact package the cloud metapackage depends on ----
kernel_pkg="$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')"
[ -n "$kernel_pkg" ] || { log "cannot resolve linux-image-cloud-amd64 (apt-get update?)"; exit 1; }
kernel_dir="$(extract_deb "$(fetch_deb "$kernel_pkg")")"
kernel_version="${kernel_pkg#linux-image-}"
cp "$kernel_dir/boot/vmlinuz-$kernel_version" "$out/vmlinuz"
# PCI hot-plug of ivshmem devices needs acpiphp; the cloud kernel has it built in, no modules.
grep -q '^CONFIG_HOTPLUG_PCI_ACPI=y' "$kernel_dir/boot/config-$kernel_version" \
  || { log "$kernel_pkg lacks built-in ACPI PCI hot-plug (CONFIG_HOTPLUG_PCI_ACPI=y)"; exit 1; }

# ---- busybox (static): shell, mount, cpio, poweroff ----
busybox_dir="$(extract_deb "$(fetch_deb busybox-static)")"
busybox="$busybox_dir/bin/busybox"

# ---- the VNF programs: test-vms and its runtime dependencies ----
if [ "${SHUNT_IMAGE_SKIP_BUILD:-0}" != 1 ]; then
  log "building test-vms (mvnw package -DskipTests)"
  (cd "$root" && ./mvnw -B -q -pl test-vms -am package -DskipTests) >&2
fi
vnf_jar="$(ls "$root"/test-vms/target/test-vms-*.jar | grep -v -e sources -e tests | head -1)"
classpath="$(cat "$root/test-vms/target/classpath.txt")"
rootfs="$work/rootfs"
mkdir -p "$rootfs"/{bin,dev,proc,sys,run,tmp,opt/shunt/lib,lib64,lib/x86_64-linux-gnu,etc}
cp "$vnf_jar" "$rootfs/opt/shunt/lib/"
IFS=: read -r -a deps <<<"$classpath"
for jar in "${deps[@]}"; do cp "$jar" "$rootfs/opt/shunt/lib/"; done

# ---- Java runtime: jlink of the modules the programs use ----
# jdeps over our own jars (the programs and the guest shim); the libraries' own needs come from
# their module descriptors and a run: Jackson needs java.logging, Logback's XML configuration
# needs java.xml and java.naming (its configurator links JNDI classes even when unused).
# Jackson's java.desktop/java.sql and Logback's java.naming are 'requires static' (optional
# features we do not use), so they stay out: java.desktop alone would drag X11 libraries in.
own_modules="$("$JAVA_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps \
  "$vnf_jar" "${deps[0]}" 2>/dev/null | tail -1)"
modules="$(echo "$own_modules,java.logging,java.naming,java.xml" | tr , '\n' | sort -u | paste -sd,)"
jdk_release="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/{print $2}')"
jre="$cache/jre-$jdk_release-$(echo "$modules" | md5sum | cut -c1-8)"
if [ ! -d "$jre" ]; then
  log "jlink $modules"
  rm -rf "$jre.partial"
  # --generate-cds-archive: class data sharing cuts JVM start under TCG by seconds.
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --generate-cds-archive --output "$jre.partial"
  mv "$jre.partial" "$jre"
  # Runtimes of other JDK releases or module sets are dead weight in the cache.
  find "$cache" -maxdepth 1 -name 'jre-*' ! -name "$(basename "$jre")" -exec rm -rf {} +
fi
cp -a "$jre" "$rootfs/opt/java"
# The archive for heaps over 32 GiB (no compressed oops) is dead weight with -Xmx96m.
rm -f "$rootfs/opt/java/lib/server/classes_nocoops.jsa"

# ---- glibc for the JVM, from the libc6 package (never the host's files) ----
libc_dir="$(extract_deb "$(fetch_deb libc6)")"
needed="$(find "$rootfs/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
  | awk '/=>/ && $3 ~ /^\// {print $3} /ld-linux/ && $1 ~ /^\// {print $1}' | xargs -rn1 basename | sort -u)"
for lib in $needed; do
  case "$lib" in libjli.so|libjvm.so|libjava.so|libnio.so|libnet.so|libzip.so|libjimage.so|libverify.so) continue ;; esac
  found="$(find "$libc_dir" -name "$lib" \( -type f -o -type l \) | head -1)"
  [ -n "$found" ] || { log "$lib (needed by the Java runtime) is not in the libc6 package"; exit 1; }
  cp -L "$found" "$rootfs/lib/x86_64-linux-gnu/$lib"
done
ln -sf ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$rootfs/lib64/ld-linux-x86-64.so.2"

# ---- busybox, init ----
cp "$busybox" "$rootfs/bin/busybox"
ln -s busybox "$rootfs/bin/sh"
install -m 0755 "$here/init" "$rootfs/init"
printf 'root:x:0:0:root:/:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\n' >"$rootfs/etc/group"

# ---- initramfs ----
(cd "$rootfs" && find . -print | "$busybox" cpio -o -H newc 2>/dev/null) | gzip -6 >"$out/initramfs.gz.partial"
mv "$out/initramfs.gz.partial" "$out/initramfs.gz"

rootfs_kib=$(du -sk "$rootfs" | cut -f1)
jre_kib=$(du -sk "$rootfs/opt/java" | cut -f1)
{
  echo "kernel: $kernel_pkg ($(stat -c %s "$out/vmlinuz") bytes)"
  echo "busybox: $(basename "$(fetch_deb busybox-static)")"
  echo "libc: $(basename "$(fetch_deb libc6)")"
  echo "java: $jdk_release jlink --add-modules $modules (${jre_kib} KiB)"
  echo "programs: $(ls "$rootfs/opt/shunt/lib" | paste -sd' ')"
  echo "initramfs: $(stat -c %s "$out/initramfs.gz") bytes compressed, ${rootfs_kib} KiB unpacked"
} >"$out/image.txt"
cat "$out/image.txt" >&2
log "done in $(( $(date +%s) - started )) s: $out"
