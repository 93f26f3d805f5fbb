#!/usr/bin/python3
"""Turns a benchmark result file of shunt into a PNG bar chart.

Three inputs are understood:

  plot.py jmh    IN.json OUT.png [--title T]   JMH's own JSON (-rf json)
  plot.py series IN.json OUT.png [--title T]   shunt's result schema:
      {"title": "...", "unit": "Mpps",
       "series": [{"name": "shunt", "points": [{"x": "N=1", "y": 12.3, "error": 0.4}]}]}

  plot.py stacked IN.json OUT.png [--title T]  bars made of segments (a time split into
      its steps), side by side in panels:
      {"title": "...", "unit": "s", "note": "...",
       "panels": [{"title": "...", "bars": [{"x": "p50", "total": 8.1,
                   "segments": [{"name": "step", "y": 1.2}, ...]}]}]}
      "total" (optional) is drawn as a marker above the bar.

Every benchmark of the project writes one of these; this script is the
one place that draws them (Debian's python3-matplotlib, installed by the
bench scripts). It only reads the JSON and writes the PNG.
"""
import argparse
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def short_name(benchmark):
    """io.shunt.datapath.bench.RingBench.burst -> RingBench.burst"""
    parts = benchmark.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else benchmark


def series_from_jmh(runs):
    """Groups JMH runs: one series per benchmark method, one x per parameter set."""
    series = {}
    unit = None
    for run in runs:
        name = short_name(run["benchmark"])
        params = run.get("params") or {}
        x = ",".join(f"{k}={v}" for k, v in sorted(params.items())) or "-"
        metric = run["primaryMetric"]
        unit = unit or metric.get("scoreUnit")
        error = metric.get("scoreError")
        if not isinstance(error, (int, float)) or error != error:  # NaN when one fork
            error = 0.0
        series.setdefault(name, []).append({"x": x, "y": metric["score"], "error": error})
    return [{"name": n, "points": p} for n, p in series.items()], unit or ""


def draw(series, unit, title, out):
    xs = []
    for s in series:
        for p in s["points"]:
            if str(p["x"]) not in xs:
                xs.append(str(p["x"]))
    width = 0.8 / max(1, len(series))
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(xs) * max(1, len(series)) ** 0.5), 4.5))
    for i, s in enumerate(series):
        by_x = {str(p["x"]): p for p in s["points"]}
        positions = [j + i * width - 0.4 + width / 2 for j, x in enumerate(xs) if x in by_x]
        values = [by_x[x]["y"] for x in xs if x in by_x]
        errors = [by_x[x].get("error", 0.0) or 0.0 for x in xs if x in by_x]
        bars = ax.bar(positions, values, width, yerr=errors, capsize=3, label=s["name"])
        ax.bar_label(bars, fmt="%.3g", fontsize=7, padding=2)
    ax.set_xticks(range(len(xs)))
    ax.set_xticklabels(xs, rotation=20 if len(xs) > 4 else 0, ha="right" if len(xs) > 4 else "center", fontsize=8)
    ax.set_ylabel(unit)
    ax.set_title(title)
    if len(series) > 1:
        ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def draw_stacked(data, title, out):
    panels = data["panels"]
    widths = [max(2, len(p["bars"])) for p in panels]
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels) + 1, 6.5), squeeze=False,
                             gridspec_kw={"width_ratios": widths})
    # tab20 holds pairs of one hue: the first of each pair first, so that neighbours differ.
    tab20 = plt.get_cmap("tab20").colors
    colours = tab20[0::2] + tab20[1::2]
    for ax, panel in zip(axes[0], panels):
        names = []
        for bar in panel["bars"]:
            for seg in bar["segments"]:
                if seg["name"] not in names:
                    names.append(seg["name"])
        xs = list(range(len(panel["bars"])))
        bottoms = [0.0] * len(xs)
        for i, name in enumerate(names):
            heights = [next((seg["y"] for seg in b["segments"] if seg["name"] == name), 0.0) for b in panel["bars"]]
            ax.bar(xs, heights, 0.6, bottom=bottoms, label=name, color=colours[i % len(colours)])
            bottoms = [b + h for b, h in zip(bottoms, heights)]
        for x, top, bar in zip(xs, bottoms, panel["bars"]):
            ax.annotate("%.3g" % top, (x, top), ha="center", va="bottom", fontsize=7,
                        xytext=(0, 2), textcoords="offset points")
            if bar.get("total") is not None:
                ax.plot([x - 0.3, x + 0.3], [bar["total"]] * 2, color="black", linewidth=1.5)
                ax.annotate("total %.3g" % bar["total"], (x + 0.3, bar["total"]), fontsize=7, va="center",
                            xytext=(2, 0), textcoords="offset points")
        ax.set_xticks(xs)
        ax.set_xticklabels([b["x"] for b in panel["bars"]], fontsize=8)
        ax.set_title(panel.get("title", ""), fontsize=9)
        ax.set_ylabel(data.get("unit", ""))
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=6.5, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=1, frameon=False)
    fig.suptitle(title, fontsize=10)
    if data.get("note"):
        fig.text(0.5, 0.005, data["note"], ha="center", fontsize=7, wrap=True)
    fig.tight_layout(rect=(0, 0.03, 1, 0.97))
    fig.savefig(out, dpi=110)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["jmh", "series", "stacked"])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--title", default=None)
    args = parser.parse_args(argv)
    try:
        with open(args.input) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print(f"plot.py: cannot read {args.input}: {e}", file=sys.stderr)
        return 2
    if args.kind == "stacked":
        if not data.get("panels"):
            print(f"plot.py: {args.input} holds no panels", file=sys.stderr)
            return 2
        draw_stacked(data, args.title or data.get("title", ""), args.output)
        return 0
    if args.kind == "jmh":
        series, unit = series_from_jmh(data)
        title = args.title or "JMH"
    else:
        series, unit = data["series"], data.get("unit", "")
        title = args.title or data.get("title", "")
    if not series:
        print(f"plot.py: {args.input} holds no results", file=sys.stderr)
        return 2
    draw(series, unit, title, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
