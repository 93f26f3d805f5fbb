#!/usr/bin/env bash
# Direct links (issue 8), the VNF's view: the two-process throughput comparison with its
# `link` variant (GuestPort.txBurst onto a plugged link ring in one process, GuestPort.rxBurst
# in the other) against the bare SPSC anchor of the same run, and the latency of plug
# events (JDK WatchService, which the guest shim uses, against inotify through FFM).
# Writes bench/results/datapath-link-two-process.json and guest-device-event-latency.json,
# with PNGs.
#
#   bench/datapath/link.sh            5 rounds of 20 M packets per variant, 2000 plug events
#   QUICK=1 bench/datapath/link.sh    2 rounds of 5 M, 400 plug events
#
# The machine is shared: read the ratios of one run, and quote the load average printed
# at the end beside any figure.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_init link
cd "$ROOT"
if [ "${QUICK:-0}" = 1 ]; then rounds=2; packets=5000000; events=400; else rounds=5; packets=20000000; events=2000; fi
bench_module_classpath datapath-dpdk
echo "machine load before the run: $(bench_load)"
echo "== Two processes, 64-byte frames: bare anchor, spsc, port, link (guest shim on a direct link), /dev/shm"
java --enable-native-access=ALL-UNNAMED -cp "$CP" io.shunt.datapath.bench.TwoProcessThroughput /dev/shm "$rounds" \
  "$packets" "$RESULTS/datapath-link-two-process.json"
echo "== Plug event latency: WatchService vs inotify (FFM)"
java --enable-native-access=ALL-UNNAMED -cp "$CP" io.shunt.datapath.bench.DeviceEventLatency /dev/shm "$events" \
  "$RESULTS/guest-device-event-latency.json"
bench_matplotlib
bench_plot series "$RESULTS/datapath-link-two-process.json" "$RESULTS/datapath-link-two-process.png"
bench_plot series "$RESULTS/guest-device-event-latency.json" "$RESULTS/guest-device-event-latency.png"
echo "load average at the end: $(bench_load)"
