#!/usr/bin/python3
"""The chain benchmark: source -> N forwarders -> sink, through shunt's switch path, through
shunt's direct links, and through Open vSwitch with DPDK (the anchor), in one run.

Run it through bench/chain/run.sh (which builds, checks the machine and draws the plots);
this file is the driver. It starts real processes only: shunt-vswitchd, the compute agent
and the test-vms programs (bin/ launchers), or ovsdb-server + ovs-vswitchd-dpdk and
dpdk-testpmd instances on vhost-user ports, and measures:

  throughput   packets the sink counted over a fixed window after a warm-up (Mpps, Gbps of
               frame bytes without FCS, preamble and gap)
  CPU/packet   utime+stime from /proc/<pid>/stat of every process of the configuration
               (switch, VNFs, agent) over the same window, divided by the packets
  latency      one-way source->sink (the sink's HdrHistogram) at a fixed rate below
               saturation, shunt only (testpmd's rxonly has no end-to-end timestamps)
  establish    for the direct path: flow-mod -> link states (from the link manager's
               link-events timestamps, same host clock) over many toggles, and the revert

Only the Python standard library (Debian's /usr/bin/python3). Every wait is bounded.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
SWITCH_CPU = "1"          # the switch process (all its threads) runs on this CPU
VNF_CPUS = "0,1"          # the VNF processes may run on both


class BenchError(Exception):
    pass


class StartFailed(Exception):
    """A process reported that it cannot start: waiting longer will not help."""


def log(msg):
    print("chain: " + msg, flush=True)


def await_true(what, timeout, fn, interval=0.02):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if fn():
                return
        except (OSError, BenchError, ValueError, KeyError):
            pass
        if time.monotonic() > deadline:
            raise BenchError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(interval)


def cpu_seconds(pid):
    """utime + stime of a process (all its threads) in seconds; None once it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def parse_instant(text):
    """Java Instant.toString() (UTC, 0-9 fraction digits) -> epoch seconds as float."""
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$", text)
    if not m:
        raise ValueError("not an instant: " + text)
    base = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    frac = m.group(2) or "0"
    return base.timestamp() + int(frac) / 10 ** len(frac)


class Counter:
    """Samples (monotonic time, packets) of the sink's counter, read from its output by a thread."""

    def __init__(self, stream, pattern, logfile):
        self.samples = []
        self.lock = threading.Lock()
        self.pattern = re.compile(pattern)
        self.log = open(logfile, "w")
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        for raw in iter(stream.readline, b""):
            now = time.monotonic()
            line = raw.decode(errors="replace")
            self.log.write(line)
            m = self.pattern.search(line)
            if m:
                with self.lock:
                    self.samples.append((now,) + tuple(int(g) for g in m.groups()))
        self.log.close()

    def last(self):
        with self.lock:
            return self.samples[-1] if self.samples else (time.monotonic(), 0)

    def first_after(self, t):
        with self.lock:
            for s in self.samples:
                if s[0] >= t:
                    return s
        return None


class Processes:
    """Every process a configuration started; stopped in reverse order with SIGTERM, then SIGKILL."""

    def __init__(self):
        self.procs = []

    def start(self, name, argv, stdout=None, stderr=None, env=None):
        p = subprocess.Popen(argv, stdout=stdout or subprocess.DEVNULL, stderr=stderr or subprocess.DEVNULL,
                             env=env, start_new_session=True)
        p.bench_name = name
        self.procs.append(p)
        return p

    def pids(self):
        return {p.bench_name: p.pid for p in self.procs if p.poll() is None}

    def stop(self, p, timeout=15):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)

    def stop_all(self):
        for p in reversed(self.procs):
            self.stop(p)
        self.procs = []


def window(counter, pids, warmup_until, seconds, timeout=60):
    """Throughput and CPU over [first sample after warmup_until, first sample >= that + seconds]."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < warmup_until:
        time.sleep(0.01)
    s0 = None
    cpu0 = None
    while s0 is None:
        s0 = counter.first_after(warmup_until)
        if s0 is None:
            if time.monotonic() > deadline:
                raise BenchError("the sink printed no counter after the warm-up")
            time.sleep(0.002)
    cpu0 = {n: cpu_seconds(p) for n, p in pids.items()}
    s1 = None
    while s1 is None:
        s1 = counter.first_after(s0[0] + seconds)
        if s1 is None:
            if time.monotonic() > deadline + seconds:
                raise BenchError("the sink printed no counter at the end of the window")
            time.sleep(0.002)
    cpu1 = {n: cpu_seconds(p) for n, p in pids.items()}
    dt = s1[0] - s0[0]
    packets = s1[1] - s0[1]
    lost = s1[2] - s0[2] if len(s0) > 2 else None
    cpu = {n: cpu1[n] - cpu0[n] for n in pids if cpu0.get(n) is not None and cpu1.get(n) is not None}
    return {"seconds": dt, "packets": packets, "pps": packets / dt, "lost_in_window": lost,
            "cpu_seconds": cpu, "cpu_total_seconds": sum(cpu.values()),
            "cpu_ns_per_packet": (sum(cpu.values()) * 1e9 / packets) if packets else None,
            "cores_busy": sum(cpu.values()) / dt}


# ---------------------------------------------------------------------------------------------
# OpenFlow 1.3, just enough to time a flow-mod: HELLO, FLOW_MOD (add, delete-strict), BARRIER.

OFP_VERSION = 4


class OpenFlow:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(20)
        self.sock.connect(path)
        self.xid = 100
        self.buf = b""
        self._send(0, b"")
        t, _, _ = self._recv()
        if t != 0:
            raise BenchError("OpenFlow: expected HELLO, got type %d" % t)

    def _send(self, msg_type, body):
        self.xid += 1
        self.sock.sendall(struct.pack("!BBHI", OFP_VERSION, msg_type, 8 + len(body), self.xid) + body)
        return self.xid

    def _recv(self):
        while True:
            while len(self.buf) < 8 or len(self.buf) < struct.unpack("!H", self.buf[2:4])[0]:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise BenchError("OpenFlow: connection closed")
                self.buf += chunk
            length = struct.unpack("!H", self.buf[2:4])[0]
            msg, self.buf = self.buf[:length], self.buf[length:]
            _, t, _, xid = struct.unpack("!BBHI", msg[:8])
            if t == 2:                       # ECHO_REQUEST
                self.sock.sendall(struct.pack("!BBHI", OFP_VERSION, 3, len(msg), xid) + msg[8:])
                continue
            if t == 1:
                raise BenchError("OpenFlow error reply: %s" % msg[8:12].hex())
            return t, xid, msg[8:]

    @staticmethod
    def _match(in_port, udp):
        oxm = struct.pack("!II", 0x80000004, in_port)                  # IN_PORT
        if udp:
            oxm += struct.pack("!IH", 0x80000a02, 0x0800)              # ETH_TYPE
            oxm += struct.pack("!IB", 0x80001401, 17)                  # IP_PROTO
        length = 4 + len(oxm)
        pad = (8 - length % 8) % 8
        return struct.pack("!HH", 1, length) + oxm + b"\0" * pad

    def flow_mod(self, command, priority, in_port, udp, out_port):
        """Sends FLOW_MOD (0 add, 4 delete-strict) and a BARRIER; returns once the barrier reply came."""
        actions = struct.pack("!HHIH6x", 0, 16, out_port, 0xffff)
        instructions = struct.pack("!HH4x", 4, 8 + len(actions)) + actions if command == 0 else b""
        body = struct.pack("!QQBBHHHIIIH2x", 0, 0, 0, command, 0, 0, priority, 0xffffffff,
                           0xffffffff, 0xffffffff, 0)
        self._send(14, body + self._match(in_port, udp) + instructions)
        barrier = self._send(20, b"")
        while True:
            t, xid, _ = self._recv()
            if t == 21 and xid == barrier:
                return

    def close(self):
        self.sock.close()


# ---------------------------------------------------------------------------------------------
# shunt


class ShuntChain:
    """shunt-vswitchd (+ compute agent) and source -> N forwarders -> sink as test-vms processes."""

    def __init__(self, root, work, n, direct):
        self.root = root
        self.n = n
        self.direct = direct
        self.base = tempfile.mkdtemp(prefix="shunt-n%d-" % n, dir=work)
        self.regions = tempfile.mkdtemp(prefix="shunt-bench-chain.", dir="/dev/shm")
        self.state = os.path.join(self.base, "state")
        self.run = os.path.join(self.base, "run")
        os.makedirs(self.state)
        os.makedirs(self.run)
        self.procs = Processes()
        self.ports = ["src"] + [p for i in range(1, n + 1) for p in ("f%da" % i, "f%db" % i)] + ["sink"]
        self.vnf_pids = {}

    def rpc(self, method, params=None):
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(30)
        try:
            s.connect(os.path.join(self.run, "shunt.ctl"))
            s.sendall((json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}}) + "\n").encode())
            reply = json.loads(s.makefile().readline())
        finally:
            s.close()
        if "error" in reply:
            raise BenchError("rpc %s: %s" % (method, reply["error"]))
        return reply["result"]

    def ofctl(self, *args):
        out = subprocess.run(["ovs-ofctl", "-O", "OpenFlow13", args[0], "unix:" + os.path.join(self.run, "br0.mgmt")]
                             + list(args[1:]), capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise BenchError("ovs-ofctl %s: %s" % (" ".join(args), out.stderr.strip()))
        return out.stdout

    def log(self, name):
        return open(os.path.join(self.base, name), "w")

    def start_switch(self):
        opts = []
        if self.direct:
            port_file = os.path.join(self.state, "agent.port")
            token = os.path.join(self.state, "agent.token")
            self.procs.start("agent", ["taskset", "-c", SWITCH_CPU, os.path.join(self.root, "bin/shunt-compute-agent"),
                                       "--listen", "127.0.0.1:0", "--port-file", port_file, "--token-file", token,
                                       "--region-dir", self.regions], stdout=self.log("agent.log"),
                             stderr=subprocess.STDOUT)
            await_true("the compute agent's port file", 60,
                       lambda: os.path.exists(port_file) and open(port_file).read().strip() != "")
            opts = ["--agent-url", "http://127.0.0.1:" + open(port_file).read().strip(), "--agent-token-file", token]
        env = dict(os.environ, SHUNT_VSWITCHD_JAVA_OPTS="-Xmx512m")
        self.procs.start("vswitchd", ["taskset", "-c", SWITCH_CPU, os.path.join(self.root, "bin/shunt-vswitchd"),
                                      "--state-dir", self.state, "--run-dir", self.run, "--region-dir", self.regions]
                         + opts, stdout=self.log("vswitchd.log"), stderr=subprocess.STDOUT, env=env)
        await_true("shunt-vswitchd's management socket", 90, lambda: self.rpc("list-br") is not None, 0.1)
        await_true("OpenFlow on br0.mgmt", 60, lambda: self.ofctl("show") is not None, 0.1)
        self.rpc("set-fail-mode", {"bridge": "br0", "mode": "secure"})
        # Direct links are switched on only once every VNF is attached (start_chain): a path
        # detected before its VNFs exist would fail to plug and wait out a retry back-off.
        self.rpc("set-direct-links", {"enabled": False})
        for i, p in enumerate(self.ports):
            got = self.rpc("add-port", {"bridge": "br0", "port": p})["ofport"]
            if got != i + 1:
                raise BenchError("port %s got ofport %s, expected %d" % (p, got, i + 1))
        for i in range(self.n + 1):
            self.ofctl("add-flow", "in_port=%d,actions=output:%d" % (2 * i + 1, 2 * i + 2))

    def vnf(self, name, program, *args, stderr=None):
        env = dict(os.environ, SHUNT_VNF_JAVA_OPTS="-Xmx256m")
        p = self.procs.start(name, ["taskset", "-c", VNF_CPUS, os.path.join(self.root, "bin/shunt-vnf"), program,
                                    "--dir", self.regions] + list(args),
                             stdout=subprocess.PIPE if program == "sink" else self.log(name + ".json"),
                             stderr=stderr or self.log(name + ".log"), env=env)
        self.vnf_pids[name] = p.pid
        return p

    def attached(self, port):
        root = os.path.join(self.regions, "shunt-devices")
        return any(os.path.lexists(os.path.join(root, v, "ports", port)) for v in os.listdir(root))

    def start_chain(self, size, rate, latency_skip=0, stats="200ms"):
        """Starts sink, forwarders and source; returns the sink's Counter."""
        self.sink = self.vnf("sink", "sink", "--port", "sink", "--stats-interval", stats,
                             "--latency-skip", str(latency_skip), stderr=subprocess.PIPE)
        self.counter = Counter(self.sink.stderr, r"received (\d+) lost (-?\d+)", os.path.join(self.base, "sink.log"))
        for i in range(1, self.n + 1):
            self.vnf("f%d" % i, "forwarder", "--port0", "f%da" % i, "--port1", "f%db" % i, "--no-drop")
        for p in self.ports[1:]:
            await_true("a VNF on port " + p, 90, lambda: self.attached(p), 0.05)
        self.vnf("source", "source", "--port", "src", "--size", str(size), "--rate", str(rate), "--no-drop")
        await_true("the source on port src", 90, lambda: self.attached("src"), 0.05)
        self.started = time.monotonic()
        if self.direct:
            self.rpc("set-direct-links", {"enabled": True})
        return self.counter

    def links(self):
        return self.rpc("links")["links"]

    def link_from(self, port):
        for link in self.links():
            if link["directions"] and link["directions"][0]["from"] == port:
                return link
        return None

    def all_direct(self):
        hops = ["src"] + ["f%db" % i for i in range(1, self.n + 1)]
        for h in hops:
            link = self.link_from(h)
            if link is None or link["state"] != "DIRECT":
                return False
        return True

    def await_direct(self, timeout=120):
        await_true("every hop DIRECT", timeout, self.all_direct, 0.05)

    def pids(self):
        return self.procs.pids()

    def sink_summary(self):
        """SIGTERM to the source, forwarders and sink (in that order); the sink's JSON line."""
        for p in self.procs.procs:
            if p.bench_name == "source":
                self.procs.stop(p)
        time.sleep(0.5)
        for p in self.procs.procs:
            if p.bench_name.startswith("f"):
                self.procs.stop(p)
        self.procs.stop(self.sink, 30)
        out = self.sink.stdout.read().decode().strip().splitlines()
        if not out:
            raise BenchError("the sink printed no summary")
        return json.loads(out[-1])

    def close(self):
        self.procs.stop_all()
        shutil.rmtree(self.regions, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Open vSwitch with DPDK, testpmd VNFs on vhost-user ports

OVS_VSWITCHD = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"
TESTPMD = "dpdk-testpmd"


class OvsChain:
    """ovs-vswitchd-dpdk in its own netns and run/db dirs; dpdk-testpmd as source, forwarders, sink."""

    def __init__(self, work, n):
        self.n = n
        self.dir = tempfile.mkdtemp(prefix="ovs-n%d-" % n, dir=work)
        self.ns = "shunt-bench-%d" % os.getpid()
        self.procs = Processes()
        self.ports = ["vsrc"] + [p for i in range(1, n + 1) for p in ("vf%da" % i, "vf%db" % i)] + ["vsink"]
        self.env = dict(os.environ, OVS_RUNDIR=self.dir, OVS_DBDIR=self.dir, OVS_LOGDIR=self.dir,
                        OVS_SYSCONFDIR=self.dir)
        self.db = "unix:" + os.path.join(self.dir, "db.sock")
        self.ovs_pid = None

    def sh(self, *argv, timeout=60):
        out = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, env=self.env)
        if out.returncode != 0:
            raise BenchError("%s: %s" % (" ".join(argv), out.stderr.strip()))
        return out.stdout

    def vsctl(self, *args):
        return self.sh("ovs-vsctl", "--db=" + self.db, "--timeout=60", *args)

    def start_switch(self):
        d = self.dir
        self.sh("ovsdb-tool", "create", os.path.join(d, "conf.db"), "/usr/share/openvswitch/vswitch.ovsschema")
        self.sh("ovsdb-server", "--remote=punix:" + os.path.join(d, "db.sock"), "--pidfile=" + os.path.join(d, "ovsdb.pid"),
                "--unixctl=" + os.path.join(d, "ovsdb.ctl"), "--detach", "--log-file=" + os.path.join(d, "ovsdb.log"),
                os.path.join(d, "conf.db"))
        self.vsctl("--no-wait", "init")
        self.vsctl("--no-wait", "set", "Open_vSwitch", ".", "other_config:dpdk-init=true",
                   "other_config:dpdk-socket-mem=256", "other_config:pmd-cpu-mask=0x%x" % (1 << int(SWITCH_CPU)),
                   'other_config:dpdk-extra="--no-pci --in-memory --file-prefix=ovs%d"' % os.getpid())
        self.sh("ip", "netns", "add", self.ns)
        self.sh("ip", "netns", "exec", self.ns, "taskset", "-c", SWITCH_CPU, OVS_VSWITCHD, self.db,
                "--pidfile=" + os.path.join(d, "ovs-vswitchd.pid"), "--unixctl=" + os.path.join(d, "ovs-vswitchd.ctl"),
                "--detach", "--log-file=" + os.path.join(d, "ovs-vswitchd.log"), timeout=120)
        self.ovs_pid = int(open(os.path.join(d, "ovs-vswitchd.pid")).read())
        self.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                   "fail-mode=secure")
        for p in self.ports:
            self.vsctl("add-port", "br0", p, "--", "set", "Interface", p, "type=dpdkvhostuser")
        mgmt = "unix:" + os.path.join(d, "br0.mgmt")
        await_true("OVS OpenFlow on br0.mgmt", 60,
                   lambda: subprocess.run(["ovs-ofctl", "-O", "OpenFlow13", "show", mgmt], capture_output=True,
                                          timeout=20).returncode == 0, 0.2)
        self.sh("ovs-ofctl", "-O", "OpenFlow13", "del-flows", mgmt)
        for i in range(self.n + 1):
            self.sh("ovs-ofctl", "-O", "OpenFlow13", "add-flow", mgmt,
                    "in_port=%d,actions=output:%d" % (2 * i + 1, 2 * i + 2))

    def testpmd(self, name, ports, mode, extra=()):
        for attempt in range(3):
            try:
                return self._testpmd(name, ports, mode, extra)
            except StartFailed as e:
                log("%s; trying again" % e)
                self.procs.stop(self.procs.procs.pop())
        raise BenchError("testpmd %s did not start in three attempts" % name)

    def _testpmd(self, name, ports, mode, extra):
        # OVS is the vhost-user server (type dpdkvhostuser, sockets in its run dir); testpmd
        # connects as the client: no reconnect timing between the two.
        vdevs = ["--vdev=net_virtio_user%d,path=%s,queues=1,queue_size=1024" % (i, os.path.join(self.dir, p))
                 for i, p in enumerate(ports)]
        argv = ["taskset", "-c", VNF_CPUS, TESTPMD, "--in-memory", "--single-file-segments", "--no-pci", "-m", "64",
                "--file-prefix=%s%d" % (name, os.getpid()), "--lcores", "0@(%s),1@(%s)" % (VNF_CPUS, VNF_CPUS)] \
            + vdevs + ["--", "--forward-mode=" + mode, "--stats-period", "1", "--nb-cores=1",
                       "--total-num-mbufs=8192", "--rxd=1024", "--txd=1024"] + list(extra)
        logfile = os.path.join(self.dir, name + ".out")
        out = subprocess.PIPE if name == "sink" else open(logfile, "w")
        p = self.procs.start(name, argv, stdout=out, stderr=subprocess.STDOUT)
        if name == "sink":
            self.counter = Counter(p.stdout, r"RX-packets:\s+(\d+)", logfile)

        def forwarding():
            text = open(logfile, errors="replace").read()
            if "probe failed" in text or "Fail" in text or p.poll() is not None:
                raise StartFailed("testpmd %s failed to start; see %s" % (name, logfile))
            return "forwarding packets" in text or "packet forwarding - ports=" in text
        await_true("testpmd " + name + " forwarding", 60, forwarding, 0.1)
        return p

    def start_chain(self, size):
        self.testpmd("sink", ["vsink"], "rxonly")
        for i in range(1, self.n + 1):
            self.testpmd("f%d" % i, ["vf%da" % i, "vf%db" % i], "io")
        self.testpmd("source", ["vsrc"], "txonly", ["--txpkts=%d" % size])
        await_true("packets at the testpmd sink", 90, lambda: self.counter.last()[1] > 0, 0.1)
        self.started = time.monotonic()
        return self.counter

    def pids(self):
        p = self.procs.pids()
        p["ovs-vswitchd"] = self.ovs_pid
        return p

    def pmd_stats(self):
        try:
            return self.sh("ovs-appctl", "-t", os.path.join(self.dir, "ovs-vswitchd.ctl"), "dpif-netdev/pmd-stats-show")
        except BenchError as e:
            return str(e)

    def close(self):
        self.procs.stop_all()
        for ctl in ("ovs-vswitchd.ctl", "ovsdb.ctl"):
            path = os.path.join(self.dir, ctl)
            if os.path.exists(path):
                subprocess.run(["ovs-appctl", "-t", path, "exit"], capture_output=True, timeout=30, env=self.env)
        if self.ovs_pid:
            try:
                await_true("ovs-vswitchd to exit", 20, lambda: not os.path.exists("/proc/%d" % self.ovs_pid))
            except BenchError:
                os.kill(self.ovs_pid, signal.SIGKILL)
        subprocess.run(["ip", "netns", "del", self.ns], capture_output=True)


# ---------------------------------------------------------------------------------------------
# the measurements


def throughput(args, path, n, size):
    if path == "ovs":
        chain = OvsChain(args.work, n)
    else:
        chain = ShuntChain(args.root, args.work, n, direct=(path == "direct"))
    result = {"path": path, "n": n, "size": size}
    try:
        chain.start_switch()
        counter = chain.start_chain(size, 0) if path != "ovs" else chain.start_chain(size)
        if path == "direct":
            chain.await_direct()
        if path != "ovs":
            await_true("packets at the sink", 90, lambda: counter.last()[1] > 0, 0.05)
        w = window(counter, chain.pids(), time.monotonic() + args.warmup, args.window)
        result.update(w)
        result["mpps"] = w["pps"] / 1e6
        result["gbps"] = w["pps"] * size * 8 / 1e9
        if path == "direct":
            result["links"] = [{"from": l["directions"][0]["from"], "state": l["state"],
                                "packets": l["directions"][0]["packets"]} for l in chain.links()]
            result["engine_packets"] = sum(p["packets"] for p in chain.rpc("pmd-stats"))
        if path == "ovs":
            result["pmd_stats"] = chain.pmd_stats()
        else:
            s = chain.sink_summary()
            result["sink"] = {k: s[k] for k in ("received", "lost", "duplicated", "reordered", "foreign")}
    finally:
        chain.close()
    return result


def latency(args, path, n):
    chain = ShuntChain(args.root, args.work, n, direct=(path == "direct"))
    result = {"path": path, "n": n, "size": 64, "rate_pps": args.latency_rate}
    skip = int(args.latency_rate * args.latency_warmup)
    try:
        chain.start_switch()
        counter = chain.start_chain(64, args.latency_rate, latency_skip=skip)
        if path == "direct":
            chain.await_direct()
            result["direct_after_s"] = time.monotonic() - chain.started
            result["received_at_direct"] = counter.last()[1]
        # The sink records from packet skip+1 on: wait until it has recorded the planned number
        # (a starved source may send below its rate; counting packets, not seconds, keeps the
        # recorded sample the same size everywhere).
        want = skip + int(args.latency_rate * args.latency_seconds)
        await_true("%d packets at the sink" % want, 180, lambda: counter.last()[1] >= want, 0.05)
        s = chain.sink_summary()
        if path == "direct" and result["received_at_direct"] > skip:
            raise BenchError("the links became DIRECT after the sink had %d packets, past the %d left out of the"
                             " histogram" % (result["received_at_direct"], skip))
        result["sink"] = {k: s[k] for k in ("received", "lost", "duplicated", "reordered")}
        result["latency_ns"] = s["latencyNanos"]
    finally:
        chain.close()
    return result


def establishment(args, runs):
    """Toggles the src=>f1a link `runs` times with a higher-priority overlapping entry (UDP only,
    same output): adding it reverts the link, deleting it establishes it again."""
    chain = ShuntChain(args.root, args.work, 1, direct=True)
    out = {"runs": [], "rate_pps": args.establish_rate}
    try:
        chain.start_switch()
        chain.start_chain(64, args.establish_rate)
        chain.await_direct()
        of = OpenFlow(os.path.join(chain.run, "br0.mgmt"))
        for i in range(runs):
            run = {}
            before = chain.link_from("src")["name"]
            t0 = time.time()
            of.flow_mod(0, 40000, 1, True, 2)
            run["revert_barrier_ms"] = (time.time() - t0) * 1e3
            await_true("the link to revert", 30, lambda: chain.link_from("src") is None, 0.002)
            events = chain.rpc("link-events", {"limit": 50})["events"]
            done = [e for e in events if e["link"] == before and e["to"] == "NORMAL"]
            if not done:
                raise BenchError("no NORMAL transition of %s in %s" % (before, events))
            run["revert_ms"] = (parse_instant(done[-1]["at"]) - t0) * 1e3
            t0 = time.time()
            of.flow_mod(4, 40000, 1, True, 0)
            run["establish_barrier_ms"] = (time.time() - t0) * 1e3
            await_true("the link to be DIRECT again", 30,
                       lambda: (chain.link_from("src") or {}).get("state") == "DIRECT", 0.002)
            name = chain.link_from("src")["name"]
            events = chain.rpc("link-events", {"limit": 50})["events"]
            at = {}
            for e in events:
                if e["link"] == name:
                    at[e["to"]] = (parse_instant(e["at"]) - t0) * 1e3
            for state in ("PLUGGING", "TX_SWITCHED", "FENCED", "DIRECT"):
                if state not in at:
                    raise BenchError("link %s has no %s transition: %s" % (name, state, events))
                run["to_" + state.lower() + "_ms"] = at[state]
            out["runs"].append(run)
        of.close()
        s = chain.sink_summary()
        out["sink"] = {k: s[k] for k in ("received", "lost", "duplicated", "reordered")}
    finally:
        chain.close()

    def pct(key):
        v = sorted(r[key] for r in out["runs"])
        return {"p50": v[len(v) // 2], "p99": v[min(len(v) - 1, int(len(v) * 0.99))], "max": v[-1],
                "mean": statistics.fmean(v)}
    out["summary"] = {k: pct(k) for k in out["runs"][0]} if out["runs"] else {}
    return out


def machine():
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "lscpu": lscpu, "loadavg": open("/proc/loadavg").read().split()[:3], "nproc": os.cpu_count(),
            "switch_cpu": SWITCH_CPU, "vnf_cpus": VNF_CPUS}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True, help="result JSON file")
    ap.add_argument("--n", default="1,2,3,4")
    ap.add_argument("--sizes", default="64,700,1514")
    ap.add_argument("--paths", default="switch,direct,ovs")
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--window", type=float, default=5.0)
    ap.add_argument("--latency-rate", type=int, default=100000)
    ap.add_argument("--latency-warmup", type=float, default=6.0)
    ap.add_argument("--latency-seconds", type=float, default=5.0)
    ap.add_argument("--latency", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--establish-runs", type=int, default=100)
    ap.add_argument("--establish-rate", type=int, default=100000)
    ap.add_argument("--deadline", type=float, default=0,
                    help="epoch seconds: configurations not started by then are skipped (and listed)")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless every configuration moved packets and the direct path lost,"
                         " duplicated and reordered nothing (the smoke test)")
    args = ap.parse_args()
    ns = [int(x) for x in args.n.split(",")]
    sizes = [int(x) for x in args.sizes.split(",")]
    paths = args.paths.split(",")
    res = {"machine": machine(), "config": vars(args), "throughput": [], "latency": [], "errors": [],
           "skipped": []}

    def save():
        res["machine"]["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
        with open(args.out, "w") as f:
            json.dump(res, f, indent=1)

    def late(what):
        if args.deadline and time.time() > args.deadline:
            res["skipped"].append(what)
            log("past the deadline: %s skipped" % what)
            return True
        return False

    def sweep(size):
        for n in ns:
            for path in paths:
                if late("throughput %s N=%d size=%d" % (path, n, size)):
                    continue
                t = time.monotonic()
                try:
                    r = throughput(args, path, n, size)
                    res["throughput"].append(r)
                    log("%-6s N=%d %4dB: %7.3f Mpps %6.2f Gbps, %6.0f ns CPU/packet, %.2f cores busy, load %s (%.0f s)"
                        % (path, n, size, r["mpps"], r["gbps"], r["cpu_ns_per_packet"] or -1, r["cores_busy"],
                           open("/proc/loadavg").read().split()[0], time.monotonic() - t))
                    if "sink" in r:
                        log("        sink: %s; lost in the window: %s" % (r["sink"], r["lost_in_window"]))
                except Exception as e:  # noqa: BLE001 - one failed configuration must not lose the others
                    res["errors"].append({"what": "throughput %s N=%d size=%d" % (path, n, size), "error": str(e)})
                    log("%s N=%d %dB FAILED: %s" % (path, n, size, e))
                save()

    # The first frame size (64 bytes by default), then latency and establishment, then the
    # other sizes: what matters most is measured first if a deadline cuts the run short.
    sweep(sizes[0])
    if args.latency:
        for n in ns:
            for path in [p for p in paths if p != "ovs"]:
                if late("latency %s N=%d" % (path, n)):
                    continue
                try:
                    r = latency(args, path, n)
                    res["latency"].append(r)
                    log("latency %-6s N=%d at %d pps: p50 %.1f us p99 %.1f us p99.9 %.1f us; sink %s"
                        % (path, n, args.latency_rate, r["latency_ns"]["p50"] / 1e3, r["latency_ns"]["p99"] / 1e3,
                           r["latency_ns"]["p999"] / 1e3, r["sink"]))
                except Exception as e:  # noqa: BLE001
                    res["errors"].append({"what": "latency %s N=%d" % (path, n), "error": str(e)})
                    log("latency %s N=%d FAILED: %s" % (path, n, e))
                save()
    if args.establish_runs > 0 and "direct" in paths and not late("establishment"):
        try:
            r = establishment(args, args.establish_runs)
            res["establishment"] = r
            for k, v in r["summary"].items():
                log("establish %-22s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms" % (k, v["p50"], v["p99"], v["max"]))
            log("establish: sink %s" % r["sink"])
        except Exception as e:  # noqa: BLE001
            res["errors"].append({"what": "establishment", "error": str(e)})
            log("establishment FAILED: %s" % e)
        save()
    for size in sizes[1:]:
        sweep(size)
    save()
    if args.check:
        failed = check(res, paths, ns, sizes)
        for f in failed:
            log("CHECK FAILED: " + f)
        if not failed:
            log("checks passed: every configuration moved packets; the direct path lost nothing")
        return 1 if failed else 0
    return 1 if res["errors"] else 0


def check(res, paths, ns, sizes):
    failed = ["%s: %s" % (e["what"], e["error"]) for e in res["errors"]]
    done = {(r["path"], r["n"], r["size"]): r for r in res["throughput"]}
    for path in paths:
        for n in ns:
            for size in sizes:
                r = done.get((path, n, size))
                if r is None:
                    continue
                if r["packets"] <= 0:
                    failed.append("%s N=%d %dB moved no packets in the window" % (path, n, size))
                if path == "direct":
                    if r["lost_in_window"] != 0:
                        failed.append("direct N=%d %dB: the sink counted %d lost in the window"
                                      % (n, size, r["lost_in_window"]))
                    if r["sink"]["duplicated"] or r["sink"]["reordered"]:
                        failed.append("direct N=%d %dB: duplicated/reordered %s" % (n, size, r["sink"]))
    e = res.get("establishment")
    if e and (e["sink"]["lost"] or e["sink"]["duplicated"] or e["sink"]["reordered"]):
        failed.append("establish/revert toggles: the sink saw %s" % e["sink"])
    return failed


if __name__ == "__main__":
    sys.exit(main())
