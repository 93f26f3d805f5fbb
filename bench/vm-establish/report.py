#!/usr/bin/python3
"""Turns the logs of one bench/vm-establish/run.sh run into bench/results/vm-establish.json:
every cycle's steps (ms), p50/p99 per step, the sink's check and the machine. Exit status 1
when the sink's summary shows a packet lost, duplicated, reordered or late, or when it
received other than what port 2 transmitted (the JSON is written first, with "passed": false).

Host steps, one clock (the host's; every log line is stamped to the millisecond), laid end to
end from the flow-mod to DIRECT, so they add up to the total:
  ofctl          this script's clock before `ovs-ofctl add-flow` -> vswitchd's log: the OpenFlow
                 connection that carried it established (process start, connect, handshake)
  flow_table     -> "created LINK region" (FLOW_MOD decoded and applied, detector, region file)
  announce       -> link-events PLUGGING (ports' control blocks announce the link)
  to_agent       -> the agent has the first plug request (its log: end of the request minus its time)
  agent          the agent's own work on both requests (owner look-up through libvirt's domain
                 XML, region checks), i.e. first request in -> last request done, less the two
                 attachDeviceFlags calls (requests are serialised in the agent)
  hotplug        both attachDeviceFlags calls (libvirtd + QEMU), one per domain
  to_vswitchd    last request done (agent's log) -> vswitchd has the answer (its log)
  req            -> link-events TX_SWITCHED (gates attached, req=1 written)
  tx_switch      TX_SWITCHED -> FENCED: the source guest's shim has mapped the link and switches
                 at its next burst (tx_ack=1), the switch drains the old tx ring and fences
  fence          FENCED -> DIRECT: the sink guest's shim passed the fence (rx_state=1)
  retry          (0 unless an attempt failed) first PLUGGING -> the PLUGGING of the attempt that
                 reached DIRECT
Guest steps, each guest's own clock (intervals only; the guests' clocks are not the host's):
  detect  kernel uevent read by the shim's PCI mirror -> mirror entry (the shim's own figure)
  map     mirror entry -> the device watcher has mapped and checked the link region
  switch  mapped -> the shim transmits on the link (source) / reads it (sink); includes the
          wait for req=1 (source) and for the fence (sink), which are host steps
Revert: del-flow -> REVERTING (req=2), REVERTING -> NORMAL, NORMAL -> the later of the two
libvirt device-removed events (agent's log).
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import subprocess
import sys

HOST_STEPS = [
    ("ofctl", "ovs-ofctl → OpenFlow connection"),
    ("flow_table", "FLOW_MOD, flow table, detector, link region"),
    ("announce", "→ PLUGGING (control blocks)"),
    ("to_agent", "vswitchd → agent (HTTP)"),
    ("agent", "agent: owner look-up, checks"),
    ("hotplug", "libvirt/QEMU attachDeviceFlags ×2"),
    ("to_vswitchd", "agent → vswitchd (answer)"),
    ("req", "→ TX_SWITCHED (gates, req=1)"),
    ("tx_switch", "TX_SWITCHED → FENCED (source shim switches)"),
    ("fence", "FENCED → DIRECT (sink passes fence)"),
    ("retry", "retried attempt"),
]
GUEST_STEPS = [
    ("detect", "uevent → mirror entry"),
    ("map", "mirror entry → link mapped"),
    ("switch", "mapped → on the link"),
]
REVERT_STEPS = [
    ("to_reverting", "del-flow (ovs-ofctl) → REVERTING"),
    ("reverting", "REVERTING → NORMAL"),
    ("unplugged", "NORMAL → unplugged from both"),
]

HOST_LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}) ")
GUEST_LINE = re.compile(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) INFO ")


def host_time(text):
    """A log stamp 2026-12-07T11:03:19.753 (logback, the host's local time, UTC here) as epoch seconds."""
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def host_lines(path):
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            m = HOST_LINE.match(line)
            if m:
                out.append((host_time(m.group(1)), line.rstrip("\n")))
    return out


def guest_lines(path):
    """(seconds of the guest's day, line); a guest's run does not cross midnight here, and if
    it did the interval would show it (negative)."""
    out = []
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace").replace("\r", "")
            for m in GUEST_LINE.finditer(line):
                h, mi, s, ms = (int(g) for g in m.groups())
                out.append((h * 3600 + mi * 60 + s + ms / 1000.0, line[m.start():].rstrip("\n")))
    return out


def first(lines, after, pattern):
    for t, line in lines:
        if t >= after and pattern in line:
            return t, line
    return None


def pct(values):
    """Nearest-rank percentiles (the value at rank ceil(q·n)): p99 of fewer than 100 runs is their maximum."""
    v = sorted(values)
    if not v:
        return None

    def rank(q):
        return v[max(0, math.ceil(q * len(v)) - 1)]
    return {"p50": rank(0.50), "p99": rank(0.99), "min": v[0], "max": v[-1], "mean": sum(v) / len(v), "n": len(v)}


def guest_steps(lines, link, program):
    mirror = next(((t, l) for t, l in lines if "PciDeviceMirror" in l and "LINK device '%s'" % link in l
                   and "us after the announcement" in l), None)
    mapped = next(((t, l) for t, l in lines if "DeviceWatcher" in l and "device '%s'" % link in l
                   and l.endswith(" plugged")), None)
    phase = "transmitting on the link ring" if program == "source" else "reading the link ring beside the rx ring"
    switched = next(((t, l) for t, l in lines if "device '%s'" % link in l and l.endswith(phase)), None)
    if not (mirror and mapped and switched):
        return None, "guest %s: missing lines for %s (mirror %s, mapped %s, switched %s)" % (
            program, link, bool(mirror), bool(mapped), bool(switched))
    us = int(re.search(r"\((\d+) us after the announcement\)", mirror[1]).group(1))
    return {"detect": us / 1000.0, "map": (mapped[0] - mirror[0]) * 1e3,
            "switch": (switched[0] - mapped[0]) * 1e3}, None


def analyse(args):
    w = args.work
    cycles = [json.loads(l) for l in open(os.path.join(w, "cycles.jsonl")) if l.strip()]
    events = json.load(open(os.path.join(w, "link-events.json")))["events"]
    vsw = host_lines(os.path.join(w, "vswitchd.log"))
    agent = host_lines(os.path.join(w, "agent.log"))
    guests = {"source": guest_lines(args.source_log), "sink": guest_lines(args.sink_log)}
    for e in events:
        e["t"] = instant(e["at"])
    # The logs' local time against the journal's instants (UTC): the same transition in both.
    offsets = []
    for e in events:
        hit = first(vsw, e["t"] - 5, "link %s: %s -> %s" % (e["link"], e["from"], e["to"]))
        if hit:
            offsets.append(hit[0] - e["t"])
    offsets.sort()
    offset = offsets[len(offsets) // 2] if offsets else 0.0
    if abs(offset) > 0.5:
        vsw = [(t - offset, l) for t, l in vsw]
        agent = [(t - offset, l) for t, l in agent]

    runs, problems = [], []
    for i, c in enumerate(cycles):
        end = cycles[i + 1]["t_flow"] if i + 1 < len(cycles) else float("inf")
        mine = [e for e in events if c["t_flow"] - 0.001 <= e["t"] < end]
        before_del = [e for e in mine if e["t"] < c["t_del"]]
        link = c["link"]
        at = {}
        for e in before_del:
            if e["link"] == link:
                at.setdefault(e["to"], e["t"])
        pluggings = [e for e in before_del if e["to"] == "PLUGGING"]
        detours = [e for e in before_del if e["to"] in ("RETRY_WAIT", "FAILED", "REVERTING")]
        r = {"run": c["run"], "warmup": c.get("warmup", False), "link": link, "load1": c["load1"],
             "retried": len({e["link"] for e in pluggings}) > 1 or bool(detours),
             "detours": ["%s %s -> %s: %s" % (e["link"], e["from"], e["to"], e["reason"]) for e in detours]}
        missing = [s for s in ("PLUGGING", "TX_SWITCHED", "FENCED", "DIRECT") if s not in at]
        if missing or not pluggings:
            problems.append("run %d: link %s lacks %s in link-events" % (c["run"], link, missing))
            continue
        t0 = c["t_flow"]
        created = first(vsw, t0 - 0.001, "created LINK region '%s'" % link)
        conns = [t for t, l in vsw if "OfConnection" in l and l.endswith(": established, OpenFlow OF_13")
                 and t0 - 0.001 <= t <= (created[0] if created else at["PLUGGING"])]
        plugs = []
        for t, l in agent:
            m = re.search(r"plugged %s for port (\S+) into VNF \S+ \(\w+ driver\) in (\d+) ms, (\d+) ms of it"
                          % re.escape(link), l)
            if m and "already plugged" not in l:
                plugs.append({"port": m.group(1), "done": t, "received": t - int(m.group(2)) / 1e3,
                              "waited_ms": int(m.group(3))})
        attaches = [int(m.group(1)) for t, l in agent
                    for m in [re.search(r"hot-plugged %s \(.*\(attachDeviceFlags (\d+) ms\)" % re.escape(link), l)] if m]
        answers = [t for t, l in vsw if "link %s: plugged into the VNF of port" % link in l]
        if not created or not conns or len(plugs) != 2 or len(attaches) != 2 or len(answers) != 2:
            problems.append("run %d: %s: log lines missing (region %s, connections %d, plugs %d, attaches %d, answers %d)"
                            % (c["run"], link, bool(created), len(conns), len(plugs), len(attaches), len(answers)))
            continue
        first_plugging = pluggings[0]["t"]
        received = min(p["received"] for p in plugs)
        done = max(p["done"] for p in plugs)
        hotplug = sum(attaches) / 1e3
        s = {
            "ofctl": conns[-1] - t0,
            "flow_table": created[0] - conns[-1],
            "announce": first_plugging - created[0] if pluggings[0]["link"] == link else 0.0,
            "retry": at["PLUGGING"] - first_plugging,
            "to_agent": received - at["PLUGGING"],
            "agent": (done - received) - hotplug,
            "hotplug": hotplug,
            "to_vswitchd": max(answers) - done,
            "req": at["TX_SWITCHED"] - max(answers),
            "tx_switch": at["FENCED"] - at["TX_SWITCHED"],
            "fence": at["DIRECT"] - at["FENCED"],
        }
        if pluggings[0]["link"] != link:
            # The region-created line belongs to the failed attempt's link: measure from its PLUGGING.
            created0 = first(vsw, t0 - 0.001, "created LINK region '%s'" % pluggings[0]["link"])
            s["flow_table"] = (created0[0] if created0 else first_plugging) - conns[-1]
            s["announce"] = first_plugging - (created0[0] if created0 else first_plugging)
        r["host_ms"] = {k: v * 1e3 for k, v in s.items()}
        r["hotplug_ms_each"] = attaches
        r["plug_wait_ms"] = [p["waited_ms"] for p in plugs]
        r["total_ms"] = (at["DIRECT"] - t0) * 1e3
        r["plugging_to_direct_ms"] = (at["DIRECT"] - at["PLUGGING"]) * 1e3
        for program in ("source", "sink"):
            g, why = guest_steps(guests[program], link, program)
            if g is None:
                problems.append("run %d: %s" % (c["run"], why))
            r[program + "_ms"] = g
        after = [e for e in mine if e["t"] >= c["t_del"] - 0.001 and e["link"] == link]
        rev = {e["to"]: e["t"] for e in after}
        removed = [t for t, l in agent if t >= c["t_del"] - 0.001 and "released %s (device alias" % link in l]
        if "REVERTING" in rev and "NORMAL" in rev:
            r["revert_ms"] = {"to_reverting": (rev["REVERTING"] - c["t_del"]) * 1e3,
                              "reverting": (rev["NORMAL"] - rev["REVERTING"]) * 1e3,
                              "unplugged": (max(removed) - rev["NORMAL"]) * 1e3 if len(removed) == 2 else None}
            r["revert_total_ms"] = (rev["NORMAL"] - c["t_del"]) * 1e3
        else:
            problems.append("run %d: no REVERTING/NORMAL after the del-flow for %s" % (c["run"], link))
        runs.append(r)
    return runs, problems, offset


def summarise(runs):
    ok = [r for r in runs if "host_ms" in r and not r["warmup"]]
    runs = [r for r in runs if not r["warmup"]]
    out = {"host_ms": {k: pct([r["host_ms"][k] for r in ok]) for k, _ in HOST_STEPS},
           "total_ms": pct([r["total_ms"] for r in ok]),
           "plugging_to_direct_ms": pct([r["plugging_to_direct_ms"] for r in ok]),
           "hotplug_ms_each": pct([x for r in ok for x in r["hotplug_ms_each"]])}
    for program in ("source", "sink"):
        g = [r[program + "_ms"] for r in ok if r.get(program + "_ms")]
        out[program + "_ms"] = {k: pct([x[k] for x in g]) for k, _ in GUEST_STEPS}
    rv = [r["revert_ms"] for r in runs if r.get("revert_ms")]
    out["revert_ms"] = {k: pct([x[k] for x in rv if x[k] is not None]) for k, _ in REVERT_STEPS}
    out["revert_total_ms"] = pct([r["revert_total_ms"] for r in runs if "revert_total_ms" in r])
    return out


def sink_check(work):
    s = json.loads(open(os.path.join(work, "sink-summary.json")).read())
    ports = open(os.path.join(work, "dump-ports.txt")).read()
    tx2 = rx1 = None
    m = re.search(r"port\s+2:.*?tx pkts=(\d+)", ports, re.S)
    if m:
        tx2 = int(m.group(1))
    m = re.search(r"port\s+1: rx pkts=(\d+)", ports)
    if m:
        rx1 = int(m.group(1))
    bad = [k for k in ("lost", "duplicated", "reordered", "late", "foreign") if s.get(k) != 0]
    if tx2 != s["received"]:
        bad.append("received %s != port 2 tx %s" % (s["received"], tx2))
    return {"received": s["received"], "lost": s["lost"], "duplicated": s["duplicated"],
            "reordered": s["reordered"], "late": s["late"], "foreign": s["foreign"],
            "port1_rx": rx1, "port2_tx": tx2, "passed": not bad, "failures": bad}


def machine(args):
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next((l.split(":", 1)[1].strip() for l in lscpu.splitlines() if l.startswith("Model name")), "?")

    def version(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"
    cycles = [json.loads(l) for l in open(os.path.join(args.work, "cycles.jsonl")) if l.strip()]

    def iso(t):
        return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat(timespec="seconds")
    return {"date": iso(cycles[0]["t_flow"]) if cycles else None,
            "cycles_until": iso(cycles[-1]["t_unplugged_seen"]) if cycles else None,
            "cpu": model, "cores": os.cpu_count(), "kernel": platform.release(),
            "load_start": args.load_start, "load_end": args.load_end,
            "accel": "TCG" if args.domain_type == "qemu" else "KVM" if args.domain_type == "kvm" else args.domain_type,
            "kvm_note": "/dev/kvm here does not boot guests (FACTS.md): TCG only" if args.domain_type == "qemu" else "",
            "qemu": version(["qemu-system-x86_64", "--version"]), "libvirt": version(["libvirtd", "--version"])}


def markdown(result):
    """The p50/p99 table of test-vms/README.md, from the result."""
    sm = result["summary"]

    def row(label, p):
        return "| %s | %s |\n" % (label, " | ".join("%.0f ms" % p[q] if p else "—" for q in ("p50", "p99", "mean", "max")))
    t = "| Step | p50 | p99 | mean | max |\n|---|---:|---:|---:|---:|\n"
    for k, label in HOST_STEPS:
        t += row(label, sm["host_ms"][k])
    t += row("**flow-mod → DIRECT**", sm["total_ms"])
    for program in ("source", "sink"):
        for k, label in GUEST_STEPS:
            t += row("%s guest: %s" % (program, label), sm[program + "_ms"][k])
    for k, label in REVERT_STEPS:
        t += row("revert: " + label, sm["revert_ms"][k])
    t += row("**del-flow → NORMAL**", sm["revert_total_ms"])
    t += row("one attachDeviceFlags (each domain)", sm["hotplug_ms_each"])
    return t


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--source-log", required=True)
    ap.add_argument("--sink-log", required=True)
    ap.add_argument("--domain-type", default="qemu")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--warmup", type=int)
    ap.add_argument("--nice", type=int)
    ap.add_argument("--rate", type=int)
    ap.add_argument("--dwell", type=float)
    ap.add_argument("--step-timeout", type=int)
    ap.add_argument("--plug-timeout", type=int)
    ap.add_argument("--load-start", default="")
    ap.add_argument("--load-end", default="")
    ap.add_argument("--elapsed", type=int)
    args = ap.parse_args(argv)
    runs, problems, offset = analyse(args)
    summary = summarise(runs)
    check = sink_check(args.work)
    loads = [r["load1"] for r in runs if not r["warmup"]]

    # Means add up: the mean bar's segments sum to the mean total, percentiles do not.
    def panel_bars(steps, block):
        return [{"x": q, "segments": [{"name": label, "y": block[k][q] / 1e3 if block.get(k) else 0.0}
                                      for k, label in steps]} for q in ("p50", "mean", "p99")]
    guest_bars = []
    for program in ("source", "sink"):
        for q in ("p50", "p99"):
            b = summary[program + "_ms"]
            guest_bars.append({"x": "%s %s" % (program, q),
                               "segments": [{"name": label, "y": b[k][q] / 1e3 if b.get(k) else 0.0}
                                            for k, label in GUEST_STEPS]})
    n = len([r for r in runs if "host_ms" in r and not r["warmup"]])
    host_bars = panel_bars([s for s in HOST_STEPS if s[0] != "retry" or summary["host_ms"]["retry"]["max"] > 0],
                           summary["host_ms"])
    for bar, q in zip(host_bars, ("p50", "mean", "p99")):
        bar["total"] = summary["total_ms"][q] / 1e3
    result = {
        "title": "direct link between two QEMU guests (%s): establishment, %d runs" % (machine(args)["accel"], n),
        "unit": "s",
        "note": "each bar stacks the per-step percentile (nearest rank) or mean over %d runs after %d warm-up; the "
                "line is that of the total (means add up, percentiles do not: a stack of p99s is not the p99 of the "
                "total)%s." % (
                    n, args.warmup or 0, "; p99 of fewer than 100 runs is their maximum" if n < 100 else ""),
        "panels": [
            {"title": "host: flow-mod → DIRECT (one clock)", "bars": host_bars},
            {"title": "in the guests (each guest's clock)", "bars": guest_bars},
            {"title": "revert: del-flow → device gone", "bars": panel_bars(REVERT_STEPS, summary["revert_ms"])},
        ],
        "config": {"runs_requested": args.runs, "warmup_runs": args.warmup, "niceness": args.nice,
                   "rate_pps": args.rate, "dwell_s": args.dwell, "link_step_timeout_ms": args.step_timeout,
                   "link_plug_timeout_ms": args.plug_timeout, "elapsed_s": args.elapsed,
                   "log_clock_offset_s": offset},
        "machine": machine(args),
        "load1_during": pct(loads),
        "runs_measured": n,
        "runs_retried": sum(1 for r in runs if r["retried"] and not r["warmup"]),
        "warmup": [{k: r.get(k) for k in ("run", "total_ms", "host_ms", "source_ms", "sink_ms", "retried")}
                   for r in runs if r["warmup"]],
        "steps": {"host": dict(HOST_STEPS), "guest": dict(GUEST_STEPS), "revert": dict(REVERT_STEPS)},
        "summary": summary,
        "sink": check,
        "problems": problems,
        "runs": runs,
        "passed": check["passed"] and not problems,
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.work, "table.md"), "w") as f:
        f.write(markdown(result))
    with open(os.path.join(args.out, "vm-establish.json"), "w") as f:
        json.dump(result, f, indent=1)
    for k, label in HOST_STEPS:
        p = summary["host_ms"][k]
        if p:
            print("  %-48s p50 %8.0f ms  p99 %8.0f ms" % (label, p["p50"], p["p99"]))
    print("  %-48s p50 %8.0f ms  p99 %8.0f ms" % ("total flow-mod → DIRECT", summary["total_ms"]["p50"],
                                                   summary["total_ms"]["p99"]))
    for program in ("source", "sink"):
        for k, label in GUEST_STEPS:
            p = summary[program + "_ms"][k]
            if p:
                print("  %-48s p50 %8.0f ms  p99 %8.0f ms" % (program + ": " + label, p["p50"], p["p99"]))
    for k, label in REVERT_STEPS:
        p = summary["revert_ms"][k]
        if p:
            print("  %-48s p50 %8.0f ms  p99 %8.0f ms" % ("revert: " + label, p["p50"], p["p99"]))
    for r in result["warmup"]:
        print("  warm-up run %d: flow-mod → DIRECT %.0f ms" % (r["run"], r["total_ms"] or -1))
    print("  runs %d, retried %d; sink %s" % (n, result["runs_retried"], check))
    for p in problems:
        print("  problem: " + p, file=sys.stderr)
    if not check["passed"]:
        print("vm-establish: FAIL: the sink's check: %s" % check["failures"], file=sys.stderr)
        return 1
    if problems:
        print("vm-establish: FAIL: %d run(s) could not be measured" % len(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
