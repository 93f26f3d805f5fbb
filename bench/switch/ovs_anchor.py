#!/usr/bin/python3
"""The switch benchmark's inputs and its OVS-DPDK anchor (run by bench/switch/run.sh).

  ovs_anchor.py inputs DIR RULES     writes DIR/flows.txt (the OpenFlow table both switches
                                     get, through `ovs-ofctl add-flows`) and DIR/traffic.pcap
                                     (the frames, one per traffic flow)
  ovs_anchor.py ovs DIR NAME RULES WARMUP SECONDS
                                     one OVS-DPDK case; prints one JSON line

The tables: RULES == 1 is the port-to-port table `in_port=1,actions=output:2` with one
traffic flow; otherwise RULES rules `in_port=1,dl_dst=D,actions=output:2` with D =
02:00:00:00:00:02 + i, hit by RULES distinct frames whose destination MACs are those D.
The frames are the ones test-vms' source sends with `--vary dl_dst --flows RULES` (its
defaults: 64 bytes, 02:00:00:00:00:01 -> 02:00:00:00:00:02 + f, 10.0.0.1 -> 10.0.0.2,
UDP 1024 -> 5001, probe payload with flow number f and the "SH" magic); only the probe's
sequence number and timestamp differ (zero here), and no switch looks at them.

The OVS side: a private ovsdb-server + ovs-vswitchd-dpdk (OVS 3.1, DPDK 22.11) with its own
run/db/log directory, in its own network namespace, DPDK `--in-memory
--file-prefix=shunt-swbench` (no hugepage file left behind), one PMD thread on CPU 1, its
other threads on CPU 0. Port 1 is a `net_pcap` vdev with `rx_pcap=traffic.pcap,infinite_rx=1`:
DPDK reads the pcap into mbufs once and its rx hands out copies of them in a loop, so every
one of the RULES frames keeps coming in the same order as the source sends them. Port 2 is
`net_null` with `no-rx=1` (its tx frees the mbufs). Why not the `net_ring` loop of
FACTS.md: a looped ring holds at most 1,023 packets, so it cannot carry 100,000 distinct
frames, and its table would need the return rules (or the IN_PORT action) that shunt's
table has not. The price: OVS's PMD copies each 64-byte frame into a fresh mbuf on rx and
frees it on tx, work that shunt's PMD leaves to the source and sink VNF processes; the
figures say so.

Cycles per packet are OVS's own (`dpif-netdev/pmd-stats-show`, TSC cycles of the PMD
thread) over a window that starts with `pmd-stats-clear` after the warm-up. The same stats
give the TSC rate: (idle + processing cycles) / wall seconds of the window, which the
script uses to turn shunt's busy nanoseconds into cycles. Every wait is bounded; the
daemons are stopped through their pidfiles and the namespace is deleted, also on errors.
"""
import json
import os
import re
import signal
import struct
import subprocess
import sys
import time

OVS_VSWITCHD = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"
NETNS = "shunt-swbench"
FILE_PREFIX = "shunt-swbench"
PMD_CPU = 1
OTHER_CPU = 0
DST_MAC_BASE = 0x020000000002
SRC_MAC = bytes([2, 0, 0, 0, 0, 1])


def mac(v):
    return ":".join("%02x" % b for b in v.to_bytes(6, "big"))


def ipv4_checksum(header):
    s = sum(struct.unpack("!10H", header))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(flow, dst):
    """The 64-byte frame test-vms' ProbeFrame.template + writeProbe build for this flow."""
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 50, 0, 0x4000, 64, 17, 0,
                               bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])))
    struct.pack_into("!H", ip, 10, ipv4_checksum(bytes(ip)))
    udp = struct.pack("!HHHH", 1024, 5001, 30, 0)
    probe = struct.pack("!QQIH", 0, 0, flow, 0x5348)
    f = dst.to_bytes(6, "big") + SRC_MAC + b"\x08\x00" + bytes(ip) + udp + probe
    assert len(f) == 64
    return f


def inputs(directory, rules):
    with open(os.path.join(directory, "flows.txt"), "w") as out:
        if rules == 1:
            out.write("in_port=1,actions=output:2\n")
        else:
            for i in range(rules):
                out.write("in_port=1,dl_dst=%s,actions=output:2\n" % mac(DST_MAC_BASE + i))
    with open(os.path.join(directory, "traffic.pcap"), "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))   # pcap, Ethernet
        for i in range(rules):
            out.write(struct.pack("<IIII", 0, 0, 64, 64) + frame(i, DST_MAC_BASE + i))


class Ovs:
    def __init__(self, directory):
        self.dir = directory
        self.db = "unix:" + os.path.join(directory, "db.sock")
        self.env = dict(os.environ, OVS_RUNDIR=directory, OVS_DBDIR=directory, OVS_LOGDIR=directory,
                        OVS_SYSCONFDIR=directory)
        self.netns = False

    def sh(self, *argv, timeout=60):
        out = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, env=self.env)
        if out.returncode != 0:
            raise RuntimeError("%s: %s" % (" ".join(argv), out.stderr.strip()))
        return out.stdout

    def vsctl(self, *args):
        return self.sh("ovs-vsctl", "--db=" + self.db, "--timeout=60", *args, timeout=90)

    def appctl(self, *args):
        return self.sh("ovs-appctl", "-t", os.path.join(self.dir, "ovs-vswitchd.ctl"), "--timeout=30", *args)

    def start(self, pcap):
        d = self.dir
        self.sh("ovsdb-tool", "create", os.path.join(d, "conf.db"), "/usr/share/openvswitch/vswitch.ovsschema")
        self.sh("ovsdb-server", "--remote=punix:" + os.path.join(d, "db.sock"),
                "--pidfile=" + os.path.join(d, "ovsdb.pid"), "--unixctl=" + os.path.join(d, "ovsdb.ctl"),
                "--detach", "--log-file=" + os.path.join(d, "ovsdb.log"), os.path.join(d, "conf.db"))
        self.vsctl("--no-wait", "init")
        self.vsctl("--no-wait", "set", "Open_vSwitch", ".", "other_config:dpdk-init=true",
                   "other_config:dpdk-socket-mem=1024", "other_config:pmd-cpu-mask=0x%x" % (1 << PMD_CPU),
                   "other_config:dpdk-lcore-mask=0x%x" % (1 << OTHER_CPU),
                   'other_config:dpdk-extra="--no-pci --in-memory --file-prefix=%s"' % FILE_PREFIX)
        self.sh("ip", "netns", "add", NETNS)
        self.netns = True
        # taskset keeps the main, handler and revalidator threads on OTHER_CPU; the PMD thread
        # sets its own affinity to PMD_CPU (pmd-cpu-mask).
        self.sh("ip", "netns", "exec", NETNS, "taskset", "-c", str(OTHER_CPU), OVS_VSWITCHD, self.db,
                "--pidfile=" + os.path.join(d, "ovs-vswitchd.pid"),
                "--unixctl=" + os.path.join(d, "ovs-vswitchd.ctl"),
                "--detach", "--log-file=" + os.path.join(d, "ovs-vswitchd.log"), timeout=120)
        self.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "fail_mode=secure")
        self.vsctl("add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dpdk", "ofport_request=1",
                   "options:dpdk-devargs=net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap)
        self.vsctl("add-port", "br0", "p2", "--", "set", "Interface", "p2", "type=dpdk", "ofport_request=2",
                   "options:dpdk-devargs=net_null0,no-rx=1")
        ports = self.vsctl("--columns=name,ofport", "list", "Interface")
        if len(re.findall(r"ofport\s*:\s*[12]\b", ports)) != 2:
            raise RuntimeError("OVS ports did not come up: " + ports)

    def pid(self, name):
        try:
            return int(open(os.path.join(self.dir, name + ".pid")).read())
        except (OSError, ValueError):
            return None

    def stop(self):
        for name in ("ovs-vswitchd", "ovsdb"):
            pid = self.pid(name)
            if pid is None:
                continue
            subprocess.run(["ovs-appctl", "-t", os.path.join(self.dir, name + ".ctl"), "--timeout=10", "exit"],
                           capture_output=True, timeout=30, env=self.env)
            deadline = time.monotonic() + 20
            while os.path.exists("/proc/%d" % pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if os.path.exists("/proc/%d" % pid):
                os.kill(pid, signal.SIGKILL)
        if self.netns:
            subprocess.run(["ip", "netns", "del", NETNS], capture_output=True, timeout=30)
            self.netns = False


def pmd_stats(text):
    """The PMD thread's section of pmd-stats-show (not the main thread's) as numbers."""
    section = text.split("main thread:")[0]
    if "pmd thread" not in section:
        raise RuntimeError("no PMD thread in pmd-stats-show: " + text)

    def num(label):
        m = re.search(r"^\s*" + re.escape(label) + r":\s*([0-9.]+)", section, re.M)
        return float(m.group(1)) if m else 0.0
    return {"packets": num("packets received"), "idle_cycles": num("idle cycles"),
            "processing_cycles": num("processing cycles"), "simple_match_hits": num("simple match hits"),
            "emc_hits": num("emc hits"), "smc_hits": num("smc hits"), "megaflow_hits": num("megaflow hits"),
            "upcalls": num("miss with success upcall"), "failed_upcalls": num("miss with failed upcall")}


def ovs_case(directory, name, rules, warmup, seconds):
    directory = os.path.abspath(directory)
    ovs = Ovs(os.path.join(directory, "ovs-" + name))
    os.makedirs(ovs.dir)
    try:
        ovs.start(os.path.join(directory, "traffic.pcap"))
        mgmt = "unix:" + os.path.join(ovs.dir, "br0.mgmt")
        t = time.monotonic()
        # One OpenFlow 1.4 bundle: the same table, installed in seconds even on a loaded machine
        # (flow by flow, 100,000 took over 600 s once at load 5-6 beside QEMU guests).
        ovs.sh("ovs-ofctl", "-O", "OpenFlow14", "--bundle", "add-flows", mgmt, os.path.join(directory, "flows.txt"),
               timeout=600)
        install = time.monotonic() - t
        installed = ovs.sh("ovs-ofctl", "-O", "OpenFlow13", "dump-aggregate", mgmt, timeout=120)
        flow_count = int(re.search(r"flow_count=(\d+)", installed).group(1))
        if flow_count != rules:
            raise RuntimeError("OVS holds %d flows, not %d" % (flow_count, rules))
        time.sleep(warmup)
        ovs.appctl("dpif-netdev/pmd-stats-clear")
        t0 = time.monotonic()
        time.sleep(seconds)
        text = ovs.appctl("dpif-netdev/pmd-stats-show")
        t1 = time.monotonic()
        ports = ovs.sh("ovs-ofctl", "-O", "OpenFlow13", "dump-ports", mgmt)
        s = pmd_stats(text)
        total = s["idle_cycles"] + s["processing_cycles"]
        secs = t1 - t0
        out = {"case": name, "rules": rules, "switch": "ovs-dpdk", "seconds": round(secs, 2),
               "packets": int(s["packets"]), "mpps": round(s["packets"] / secs / 1e6, 3),
               "cycles_per_packet": round(s["processing_cycles"] / s["packets"], 1) if s["packets"] else None,
               "pmd_idle_share": round(s["idle_cycles"] / total, 3) if total else None,
               "tsc_hz_measured": round(total / secs) if secs else None,
               "flow_install_seconds": round(install, 2),
               "hits": {k: int(s[k]) for k in ("simple_match_hits", "emc_hits", "smc_hits", "megaflow_hits",
                                               "upcalls", "failed_upcalls")},
               "port2_tx_packets_total": int(re.search(r"port\s+2:.*?tx pkts=(\d+)", ports, re.S).group(1))}
        print(json.dumps(out), flush=True)
    finally:
        ovs.stop()


def main(argv):
    # timeout(1) and the run script stop us with SIGTERM: unwind, so that finally stops OVS.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if argv[:1] == ["inputs"] and len(argv) == 3:
        inputs(argv[1], int(argv[2]))
    elif argv[:1] == ["ovs"] and len(argv) == 6:
        ovs_case(argv[1], argv[2], int(argv[3]), float(argv[4]), float(argv[5]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
