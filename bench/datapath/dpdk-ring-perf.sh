#!/usr/bin/env bash
# DPDK's own ring benchmark beside ours, in TSC cycles per element, same burst sizes.
# DPDK 22.11 ring_perf_autotest prints cycles per *iteration* (one burst enqueued and
# dequeued) for its burst tests and per element for "single": we divide by the burst.
# Ours come from the JMH JSON (ns per burst, RingBurstBenchmark, 'spsc' and 'bare'),
# converted with the TSC frequency that DPDK's EAL reports (/proc/cpuinfo if it does not).
#
#   bench/datapath/dpdk-ring-perf.sh JMH.json OUT.json
set -euo pipefail
jmh="$1"; out="$2"
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_workdir ringperf
log="$WORK/ring_perf_autotest.log"
# --no-huge: the ring test needs no hugepages; a private file prefix avoids clashing with others.
DPDK_TEST=ring_perf_autotest dpdk-test --no-pci --no-huge -m 256 -l 0-1 --file-prefix="shunt-ringperf-$$" \
    --log-level=lib.eal:debug >"$log" 2>&1 || {
  echo "dpdk-test failed:"; cat "$log"; exit 1; }
khz="$(sed -n 's/.*TSC frequency is ~\([0-9]*\) KHz.*/\1/p' "$log" | head -1)"
if [ -n "$khz" ]; then mhz=$((khz / 1000)); else mhz="$(awk -F: '/^cpu MHz/ {print $2; exit}' /proc/cpuinfo | tr -d ' ')"; fi
"$BENCH_PYTHON" - "$log" "$jmh" "$out" "$mhz" <<'PY'
import json, re, sys
log, jmh, out, mhz = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
text = open(log).read()
dpdk = {}
m = re.search(r"legacy APIs: SP/SC: single: ([\d.]+)", text)
if m:
    dpdk[1] = float(m.group(1))
for size, cycles in re.findall(r"legacy APIs: SP/SC: burst \(size: (\d+)\): ([\d.]+)", text):
    dpdk.setdefault(int(size), float(cycles) / int(size))
ghz = mhz / 1000.0
ours = {}
for row in json.load(open(jmh)):
    if "RingBurstBenchmark" in row["benchmark"]:
        p = row["params"]
        ours.setdefault(p["ring"], {})[int(p["burst"])] = row["primaryMetric"]["score"] / int(p["burst"]) * ghz
series = [{"name": "DPDK 22.11 rte_ring SP/SC (legacy 8-byte elements)",
           "points": [{"x": b, "y": round(c, 2)} for b, c in sorted(dpdk.items())]}]
for variant in ("bare", "spsc", "port"):
    if variant in ours:
        series.append({"name": f"shunt {variant} (4-byte indices)",
                       "points": [{"x": b, "y": round(c, 2)} for b, c in sorted(ours[variant].items())]})
doc = {"title": "Ring burst enqueue+dequeue, one core", "unit": "TSC cycles per element", "x_label": "burst size",
       "tsc_ghz_assumed": ghz, "load_average": open("/proc/loadavg").read().strip(), "series": series}
json.dump(doc, open(out, "w"), indent=1)
print(f"cycles per element (enqueue+dequeue, one core, {ghz:.3f} GHz):")
for s in series:
    print("  " + s["name"] + ": " + ", ".join(f"burst {p['x']}: {p['y']}" for p in s["points"]))
print("wrote " + out)
PY
