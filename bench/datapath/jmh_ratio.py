#!/usr/bin/env python3
"""Prints per-element figures from the datapath JMH JSON and the ratio of each production
variant to its in-run anchor (RingBurstBenchmark: 'bare')."""
import json
import sys

rows = json.load(open(sys.argv[1]))
ring = {}
for row in rows:
    name = row["benchmark"].rsplit(".", 2)[-2]
    params = row.get("params", {})
    burst = int(params["burst"])
    score = row["primaryMetric"]["score"]
    variant = params.get("ring") or params.get("path")
    print(f"{name:22s} {variant:6s} burst {burst:2d}: {score:8.2f} ns/op, {score / burst:6.2f} ns/element")
    if name == "RingBurstBenchmark":
        ring[(variant, burst)] = score
for burst in sorted({b for (_, b) in ring}):
    bare = ring.get(("bare", burst))
    for variant in ("spsc", "port"):
        if bare and (variant, burst) in ring:
            print(f"ring burst {burst:2d}: {variant} / bare anchor time ratio {ring[(variant, burst)] / bare:.2f}x")
