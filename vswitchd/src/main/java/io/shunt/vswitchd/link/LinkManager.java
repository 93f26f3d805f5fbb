package io.shunt.vswitchd.link;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkDirection;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.port.LinkState;
import io.shunt.datapath.port.PortControlBlock;
import io.shunt.ofproto.flow.FlowEntry;
import io.shunt.p2p.Carrier;
import io.shunt.p2p.DirectPath;
import io.shunt.p2p.DirectPathDetector;
import io.shunt.p2p.DirectPathEvent;
import io.shunt.p2p.DirectPathListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The direct links of one bridge (DESIGN §4.2, §4.3; docs/direct-link-protocol.md, party LM):
 * keeps one link per eligible direct path or point-to-point pair, and drives each through
 * NORMAL → PLUGGING → TX_SWITCHED → FENCED → DIRECT → REVERTING → NORMAL (RETRY_WAIT after a
 * failed plug, FAILED while a revert waits for a live but silent VNF).
 *
 * <p>Everything runs on the bridge's control thread (the thread ofproto and the detector
 * call back on), so the manager needs no lock; the packet path never sees it: it writes only
 * {@code req} and reads the other words with acquire through {@link LinkDirection}. While a
 * transition is in flight it polls the words every millisecond; otherwise every
 * {@link #IDLE_POLL_MILLIS} ms (statistics, liveness, retries).
 *
 * <p>Inputs: detector events and policy/port changes (→ {@link #reconcile}), the words
 * (→ {@link #poll}), plug results from the {@link DeviceAgent} (posted back to this thread),
 * VNF pids from the port control blocks, and a timeout per step.
 */
public final class LinkManager implements DirectPathListener {
    private static final Logger log = LoggerFactory.getLogger(LinkManager.class);
    static final long BUSY_POLL_MICROS = 1_000;
    static final long IDLE_POLL_MILLIS = 50;
    /** First back-off after a failed plug; doubled per failure up to {@link #MAX_RETRY_NANOS}. */
    static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Longest back-off between two attempts of a failed unplug. */
    static final long UNPLUG_RETRY_MAX_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Longest wait between two looks for a device entry the operator was asked to create. */
    static final long OPERATOR_RECHECK_MAX_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** How long an adopted link waits, after a restart, for the controller to push its flows again. */
    static final long ADOPT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** How long the link traffic of a removed entry is kept (its FLOW_REMOVED is built before that). */
    static final long FORGET_DELAY_MILLIS = 5_000;

    private final String bridge;
    private final ScheduledExecutorService control;
    private final DetectorFeed feed;
    private final LinkRegionStore store;
    private final DeviceAgent agent;
    private final LinkDataplane dataplane;
    private final LinkStatistics statistics;
    private final LinkJournal journal;
    private final IntFunction<Optional<LinkPort>> ports;
    private final PacketPool pool;
    /** Longest wait for both plugs, and for one protocol step of live VNFs ({@link LinkTimeouts}). */
    private final long plugTimeoutNanos;
    private final long stepTimeoutNanos;
    private final Map<LinkKey, DirectLink> links = new LinkedHashMap<>();
    private final Map<LinkKey, Integer> failures = new HashMap<>();
    private final Map<Integer, String> lastEndReason = new HashMap<>();
    private LinkPolicy policy = LinkPolicy.allEnabled();
    private boolean reconcileQueued;
    private ScheduledFuture<?> nextPoll;
    private long nextPollAt = Long.MAX_VALUE;
    private boolean closed;

    public LinkManager(String bridge, ScheduledExecutorService control, LinkRegionStore store, DeviceAgent agent,
                       LinkDataplane dataplane, LinkStatistics statistics, LinkJournal journal,
                       IntFunction<Optional<LinkPort>> ports, PacketPool pool) {
        this(bridge, control, store, agent, dataplane, statistics, journal, ports, pool, LinkTimeouts.defaults());
    }

    public LinkManager(String bridge, ScheduledExecutorService control, LinkRegionStore store, DeviceAgent agent,
                       LinkDataplane dataplane, LinkStatistics statistics, LinkJournal journal,
                       IntFunction<Optional<LinkPort>> ports, PacketPool pool, LinkTimeouts timeouts) {
        this.plugTimeoutNanos = timeouts.plugNanos();
        this.stepTimeoutNanos = timeouts.stepNanos();
        this.bridge = bridge;
        this.control = control;
        // A removed entry's link traffic is dropped later, once FLOW_REMOVED (which reads it) went out.
        this.feed = new DetectorFeed(this, e -> control.schedule(() -> statistics.forget(e.counters()),
                FORGET_DELAY_MILLIS, TimeUnit.MILLISECONDS));
        this.store = store;
        this.agent = agent;
        this.dataplane = dataplane;
        this.statistics = statistics;
        this.journal = journal;
        this.ports = ports;
        this.pool = pool;
    }

    /** The feed to register as the switch's flow-table listener and to tell about ports. */
    public DetectorFeed feed() {
        return feed;
    }

    public DirectPathDetector detector() {
        return feed.detector();
    }

    public LinkJournal journal() {
        return journal;
    }

    // ---- inputs (control thread) ----

    @Override
    public void onEvent(DirectPathEvent event) {
        switch (event) {
            case DirectPathEvent.Down d -> lastEndReason.put(d.from(), "path " + d.from() + "=>" + d.to() + " ended: "
                    + d.reason());
            case DirectPathEvent.CarrierChanged c -> carrierChanged(c.from(), c.to(), c.after());
            case DirectPathEvent.Up u -> lastEndReason.remove(u.from());
        }
        queueReconcile();
    }

    /** Switch-wide or per-port direct-link settings changed. */
    public void policyChanged(LinkPolicy next) {
        if (!next.equals(policy)) {
            policy = next;
            queueReconcile();
        }
    }

    /** Re-adopts the link regions left by a previous vswitchd (call once, on the control thread, before flows arrive). */
    public void adoptExisting() {
        List<LinkRegion> found;
        try {
            found = store.existing(bridge);
        } catch (IOException e) {
            log.warn("bridge {}: cannot list existing link regions: {}", bridge, e.getMessage());
            return;
        }
        long now = System.nanoTime();
        for (LinkRegion region : found) {
            adopt(region, now);
        }
        schedulePoll(0);
    }

    private void adopt(LinkRegion region, long now) {
        String name = region.region().name();
        Optional<LinkPort> a = ports.apply(region.portA());
        Optional<LinkPort> b = ports.apply(region.portB());
        boolean pair = region.directions() == 2;
        if (a.isEmpty() || b.isEmpty() || !region.poolName().equals(pool.region().name())) {
            log.warn("bridge {}: link region {} names ports {} and {} of pool {}, which this bridge does not have;"
                    + " deleting it", bridge, name, region.portA(), region.portB(), region.poolName());
            freeQuietly(region);
            return;
        }
        LinkKey key = pair ? LinkKey.pair(region.portA(), region.portB()) : LinkKey.single(region.portA(), region.portB());
        List<DirectLink.Direction> dirs = directions(region, a.get(), b.get());
        LinkDirection first = dirs.getFirst().words;
        LinkPhase phase;
        if (first.request() == LinkDirection.REQUEST_NONE) {
            // Never asked to switch: nothing can be on the ring. The plug is simply undone.
            DirectLink link = new DirectLink(key, name, region.linkGeneration(), region, store.file(region), dirs,
                    LinkPhase.PLUGGING, now);
            link.plugged.add(a.get().name());
            link.plugged.add(b.get().name());
            links.put(key, link);
            finish(link, "adopted after restart before any switch: undone");
            return;
        }
        phase = phaseFromWords(dirs);
        DirectLink link = new DirectLink(key, name, region.linkGeneration(), region, store.file(region), dirs, phase, now);
        link.plugged.add(a.get().name());
        link.plugged.add(b.get().name());
        link.adoptGraceUntilNanos = now + ADOPT_GRACE_NANOS;
        links.put(key, link);
        for (DirectLink.Direction d : dirs) {
            try {
                dataplane.adopt(region, d.index, d.from.ofport(), d.to.ofport());
            } catch (RuntimeException e) {
                log.warn("bridge {}: link {} direction {} cannot be adopted: {}", bridge, name, d.index, e.getMessage());
                continue;
            }
            d.traffic = () -> dataplane.traffic(region, d.index);
            // The ports' counters have not seen this ring's traffic yet (this process starts from zero):
            // account all of it to them now; carriers are new entries and count from here on.
            d.feed = statistics.start(d.from.ofport(), d.to.ofport(), d::ringTraffic, List.of(), d.ringTraffic());
        }
        link.lastTransition = journal.record(name, LinkPhase.NORMAL, phase, "adopted after restart from the region's words");
    }

    private static LinkPhase phaseFromWords(List<DirectLink.Direction> dirs) {
        boolean allDirect = true;
        boolean allFenced = true;
        for (DirectLink.Direction d : dirs) {
            if (d.words.request() == LinkDirection.REQUEST_REVERT) {
                return LinkPhase.REVERTING;
            }
            allDirect &= d.words.rxState() == LinkDirection.RX_READING;
            allFenced &= d.words.fence() != LinkDirection.UNSET_POSITION;
        }
        return allDirect ? LinkPhase.DIRECT : allFenced ? LinkPhase.FENCED : LinkPhase.TX_SWITCHED;
    }

    private void carrierChanged(int from, int to, Carrier after) {
        for (DirectLink link : links.values()) {
            for (DirectLink.Direction d : link.directions) {
                if (d.from.ofport() == from && d.to.ofport() == to && d.feed != null) {
                    statistics.carrierChanged(d.feed, feed.entries(after.ids()));
                }
            }
        }
    }

    private void queueReconcile() {
        if (!reconcileQueued && !closed) {
            reconcileQueued = true;
            // After the current flow-mod or batch: its events are all in by then, judged once.
            control.execute(() -> {
                reconcileQueued = false;
                reconcile();
            });
        }
    }

    // ---- reconcile: which links should exist ----

    /** The links the detector's paths and the policy call for. */
    Map<LinkKey, List<DirectPath>> desired() {
        DirectPathDetector detector = feed.detector();
        Map<LinkKey, List<DirectPath>> want = new LinkedHashMap<>();
        for (DirectPath p : detector.paths()) {
            if (!eligible(p.from(), p.to())) {
                continue;
            }
            Optional<DirectPath> back = detector.pathFrom(p.to());
            if (back.isPresent() && back.get().to() == p.from()) {
                LinkKey key = LinkKey.pair(p.from(), p.to());
                want.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
            } else {
                want.put(LinkKey.single(p.from(), p.to()), List.of(p));
            }
        }
        return want;
    }

    private boolean eligible(int from, int to) {
        Optional<LinkPort> a = ports.apply(from);
        Optional<LinkPort> b = ports.apply(to);
        return a.isPresent() && b.isPresent() && policy.allows(a.get().name()) && policy.allows(b.get().name());
    }

    void reconcile() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        Map<LinkKey, List<DirectPath>> want = desired();
        for (DirectLink link : new ArrayList<>(links.values())) {
            if (want.containsKey(link.key)) {
                if (link.adoptGraceUntilNanos != 0) {
                    link.adoptGraceUntilNanos = 0;
                    attachCarriers(link);
                    log.info("bridge {}: adopted link {} carries path(s) {} again", bridge, link.name, want.get(link.key));
                }
                continue;
            }
            if (link.adoptGraceUntilNanos != 0 && now < link.adoptGraceUntilNanos) {
                continue;
            }
            revert(link, whyUnwanted(link));
        }
        for (Map.Entry<LinkKey, List<DirectPath>> w : want.entrySet()) {
            LinkKey key = w.getKey();
            if (links.containsKey(key) || busy(key)) {
                continue;
            }
            establish(key, now);
        }
        schedulePoll(anyInFlight() ? 0 : TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS));
    }

    private String whyUnwanted(DirectLink link) {
        Optional<LinkPort> a = ports.apply(link.key.a());
        Optional<LinkPort> b = ports.apply(link.key.b());
        if (a.isEmpty() || b.isEmpty()) {
            return "port " + (a.isEmpty() ? link.key.a() : link.key.b()) + " was deleted";
        }
        if (!policy.enabled()) {
            return "direct links disabled switch-wide";
        }
        if (!policy.allows(a.get().name()) || !policy.allows(b.get().name())) {
            return "direct links disabled on port " + (policy.allows(a.get().name()) ? b.get().name() : a.get().name());
        }
        String r = lastEndReason.get(link.key.a());
        if (r == null && link.key.pair()) {
            r = lastEndReason.get(link.key.b());
        }
        if (r != null) {
            return r;
        }
        return link.key.pair() ? "the pair " + link.key + " no longer holds as a pair" : "path " + link.key
                + " now is part of a pair";
    }

    /** A port of {@code key} is still in another link (reverting): one link per port at a time. */
    private boolean busy(LinkKey key) {
        for (DirectLink other : links.values()) {
            if (!other.key.equals(key) && other.key.sharesPortWith(key)) {
                return true;
            }
        }
        return false;
    }

    // ---- establish ----

    private void establish(LinkKey key, long now) {
        LinkPort a = ports.apply(key.a()).orElseThrow();
        LinkPort b = ports.apply(key.b()).orElseThrow();
        LinkRegion region;
        try {
            region = store.create(bridge, key.a(), key.b(), key.pair());
        } catch (IOException | RuntimeException e) {
            DirectLink placeholder = DirectLink.retrying(key, "shunt-link-" + bridge + "-" + key.a() + "-" + key.b(),
                    List.of(new DirectLink.Direction(0, ports.apply(key.a()).orElseThrow(),
                            ports.apply(key.b()).orElseThrow(), null, null)), now);
            links.put(key, placeholder);
            retryLater(placeholder, LinkPhase.NORMAL, "cannot create the link region: " + e.getMessage(), now);
            return;
        }
        List<DirectLink.Direction> dirs = directions(region, a, b);
        DirectLink link = new DirectLink(key, region.region().name(), region.linkGeneration(), region, store.file(region),
                dirs, LinkPhase.PLUGGING, now);
        links.put(key, link);
        link.lastTransition = journal.record(link.name, LinkPhase.NORMAL, LinkPhase.PLUGGING,
                "direct " + (key.pair() ? "pair " : "path ") + key + " detected; plugging through " + agent.describe());
        region.linkState(LinkState.PLUGGING);
        for (LinkPort p : List.of(a, b)) {
            p.control().announceLink(link.generation, link.name);
            p.control().linkState(LinkState.PLUGGING);
        }
        link.plugsPending = 2;
        for (LinkPort p : List.of(a, b)) {
            agent.plug(p.name(), link.name, link.file).whenComplete((ok, failure) -> control.execute(() ->
                    plugged(link, p, failure)));
        }
    }

    private List<DirectLink.Direction> directions(LinkRegion region, LinkPort a, LinkPort b) {
        List<DirectLink.Direction> dirs = new ArrayList<>();
        dirs.add(new DirectLink.Direction(0, a, b, region.direction(0), region.ring(0, pool)));
        if (region.directions() == 2) {
            dirs.add(new DirectLink.Direction(1, b, a, region.direction(1), region.ring(1, pool)));
        }
        return dirs;
    }

    private void plugged(DirectLink link, LinkPort port, Throwable failure) {
        if (failure == null) {
            link.plugged.add(port.name());
            // The agent's answer as this thread sees it: with the agent's own log, where PLUGGING's time goes.
            log.info("bridge {}: link {}: plugged into the VNF of port {} ({} ms after the link was created)", bridge,
                    link.name, port.name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - link.createdNanos));
        }
        if (links.get(link.key) != link || link.phase != LinkPhase.PLUGGING) {
            // Reverted or timed out meanwhile: finish() unplugs what is plugged once nothing is pending.
            link.plugsPending--;
            if (link.plugsPending == 0 && links.get(link.key) != link) {
                unplugBoth(link);
            }
            return;
        }
        link.plugsPending--;
        if (failure != null) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            boolean operator = cause instanceof PlugException p && p.operatorAction();
            if (operator) {
                // No agent: the region stays for the operator's command; the link waits in PLUGGING,
                // the path stays on the switch, and the entry is looked for again with back-off.
                link.awaitingOperator.add(port);
                if (!cause.getMessage().equals(link.operatorMessages.put(port.name(), cause.getMessage()))) {
                    log.warn("bridge {}: link {}: {}", bridge, link.name, cause.getMessage());
                }
            } else {
                link.error = cause.getMessage();
                log.warn("bridge {}: link {}: {}", bridge, link.name, cause.getMessage());
            }
            if (operator && (link.error == null || link.error.startsWith("no compute agent"))) {
                link.error = cause.getMessage();
            }
        } else {
            link.awaitingOperator.remove(port);
        }
        if (link.plugsPending > 0) {
            return;
        }
        boolean onlyOperator = link.error == null || link.error.startsWith("no compute agent");
        if (!link.awaitingOperator.isEmpty() && onlyOperator) {
            long wait = Math.min(OPERATOR_RECHECK_MAX_NANOS, FIRST_RETRY_NANOS << Math.min(link.operatorChecks, 20));
            link.operatorChecks++;
            link.retryAtNanos = System.nanoTime() + wait;
            return;
        }
        if (onlyOperator) {
            link.error = null;   // the operator plugged what was asked
        }
        if (link.error != null) {
            abandonPlugging(link, "plug failed: " + link.error);
            return;
        }
        switchTx(link);
    }

    /** Establish step 1 done: both VNFs have the device. Gates in place, then {@code req = 1}. */
    private void switchTx(DirectLink link) {
        failures.remove(link.key);
        List<DirectLink.Direction> attached = new ArrayList<>();
        try {
            for (DirectLink.Direction d : link.directions) {
                dataplane.attach(link.region, d.index, d.from.ofport(), d.to.ofport());
                attached.add(d);
            }
        } catch (RuntimeException e) {
            for (DirectLink.Direction d : attached) {
                dataplane.detach(link.region, d.index);
            }
            abandonPlugging(link, "installing the switch's gate failed: " + e.getMessage());
            return;
        }
        for (DirectLink.Direction d : link.directions) {
            d.traffic = () -> dataplane.traffic(link.region, d.index);
            List<FlowEntry> carrier = feed.detector().carrierOf(d.from.ofport(), d.to.ofport())
                    .map(c -> feed.entries(c.ids())).orElse(List.of());
            d.feed = statistics.start(d.from.ofport(), d.to.ofport(), d::ringTraffic, carrier, LinkTraffic.ZERO);
        }
        for (DirectLink.Direction d : link.directions) {
            d.txProducedAtRequest = d.from.txProduced().getAsLong();
            // Release store (LinkDirection): GA sees the region set up before it sees the request.
            d.words.request(LinkDirection.REQUEST_DIRECT);
        }
        move(link, LinkPhase.TX_SWITCHED, "device plugged into both VNFs; req=1 written");
    }

    private void attachCarriers(DirectLink link) {
        for (DirectLink.Direction d : link.directions) {
            Optional<Carrier> c = feed.detector().carrierOf(d.from.ofport(), d.to.ofport());
            if (c.isPresent() && d.feed != null) {
                statistics.carrierChanged(d.feed, feed.entries(c.get().ids()));
            }
        }
    }

    private void abandonPlugging(DirectLink link, String reason) {
        unplugBoth(link);
        freeQuietly(link.region);
        clearControlBlocks(link);
        links.remove(link.key);
        DirectLink placeholder = DirectLink.retrying(link.key, link.name, link.directions, System.nanoTime());
        placeholder.lastTransition = link.lastTransition;
        links.put(link.key, placeholder);
        retryLater(placeholder, LinkPhase.PLUGGING, reason, System.nanoTime());
    }

    private void retryLater(DirectLink placeholder, LinkPhase from, String reason, long now) {
        int n = failures.merge(placeholder.key, 1, Integer::sum);
        long backoff = Math.min(MAX_RETRY_NANOS, FIRST_RETRY_NANOS << Math.min(n - 1, 20));
        placeholder.retryAtNanos = now + backoff;
        placeholder.error = reason;
        placeholder.phase = LinkPhase.RETRY_WAIT;
        placeholder.phaseSinceNanos = now;
        placeholder.lastTransition = journal.record(placeholder.name, from, LinkPhase.RETRY_WAIT, reason
                + "; the path stays on the switch, retry in " + TimeUnit.NANOSECONDS.toMillis(backoff) + " ms");
    }

    // ---- revert ----

    private void revert(DirectLink link, String reason) {
        switch (link.phase) {
            case RETRY_WAIT, NORMAL -> {
                links.remove(link.key);
                link.lastTransition = journal.record(link.name, link.phase, LinkPhase.NORMAL, reason);
                failures.remove(link.key);
                queueReconcile();
            }
            case PLUGGING -> {
                // req never written: no VNF can have used the ring.
                finish(link, reason + " (before the switch)");
            }
            case TX_SWITCHED, FENCED, DIRECT -> {
                for (DirectLink.Direction d : link.directions) {
                    d.words.request(LinkDirection.REQUEST_REVERT);
                }
                if (portGone(link)) {
                    tearDown(link, reason);
                    return;
                }
                link.error = null;
                move(link, LinkPhase.REVERTING, reason + "; req=2 written");
            }
            case REVERTING, FAILED -> {
                // already on the way back
            }
        }
    }

    /**
     * A producer's port was deleted: no PMD polls it any more, so its direction cannot
     * complete the protocol. (A deleted consumer port is handled as a dead consumer: the
     * switch takes the ring over and its output to the missing port is counted as dropped.)
     */
    private boolean portGone(DirectLink link) {
        for (DirectLink.Direction d : link.directions) {
            if (ports.apply(d.from.ofport()).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A producer's port was deleted: the protocol cannot complete through it. The shims were
     * told to go back (req=2); what is still on a link ring is reported as lost, with its
     * count, and the link is freed.
     */
    private void tearDown(DirectLink link, String reason) {
        long lost = 0;
        for (DirectLink.Direction d : link.directions) {
            lost += Math.max(0, d.ring.producerPosition() - d.ring.consumerPosition());
        }
        if (lost > 0) {
            log.warn("bridge {}: link {}: {} packet(s) still on the link ring are lost with the deleted port", bridge,
                    link.name, lost);
        }
        finish(link, reason + "; torn down" + (lost > 0 ? ", " + lost + " packet(s) lost on the link ring" : ""));
    }

    /** Revert step 4 done (or nothing to revert): gates off, counters settled, devices unplugged, region freed. */
    private void finish(DirectLink link, String reason) {
        for (DirectLink.Direction d : link.directions) {
            if (d.feed != null) {
                statistics.stop(d.feed);
                d.feed = null;
            }
            if (link.phase != LinkPhase.PLUGGING) {
                dataplane.detach(link.region, d.index);
            }
        }
        LinkPhase from = link.phase;
        links.remove(link.key);
        if (link.plugsPending == 0) {
            unplugAll(link);
        }
        clearControlBlocks(link);
        freeQuietly(link.region);
        link.phase = LinkPhase.NORMAL;
        link.lastTransition = journal.record(link.name, from, LinkPhase.NORMAL, reason);
        queueReconcile();
    }

    /**
     * After a failed or timed-out plug: unplug from both VNFs whatever we believe, because a
     * plug that timed out here may still have been carried out by the agent (unplugging an
     * absent device is harmless), and a stale device entry would hold the VNF's shim.
     */
    private void unplugBoth(DirectLink link) {
        for (DirectLink.Direction d : link.directions) {
            link.plugged.add(d.from.name());
            link.plugged.add(d.to.name());
        }
        unplugAll(link);
    }

    private void unplugAll(DirectLink link) {
        for (String port : List.copyOf(link.plugged)) {
            link.plugged.remove(port);
            unplug(port, link.name, 0);
        }
    }

    /**
     * One unplug, retried with back-off while it fails (the agent is down or restarting): a
     * device entry left behind would make the VNF's shim map a freed region's name again after
     * a restart of the shim. An entry the agent no longer knows counts as unplugged.
     */
    private void unplug(String port, String device, int attempt) {
        agent.unplug(port, device).whenComplete((ok, failure) -> {
            if (failure == null) {
                if (attempt > 0) {
                    log.info("bridge {}: link {}: unplugged from the VNF of port {} after {} failed attempt(s)", bridge,
                            device, port, attempt);
                }
                return;
            }
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            long delay = Math.min(FIRST_RETRY_NANOS << Math.min(attempt, 16), UNPLUG_RETRY_MAX_NANOS);
            log.warn("bridge {}: link {}: unplug from the VNF of port {} failed (attempt {}): {}; retry in {} ms", bridge,
                    device, port, attempt + 1, cause.getMessage(), TimeUnit.NANOSECONDS.toMillis(delay));
            try {
                control.execute(() -> {
                    if (!closed) {
                        control.schedule(() -> unplug(port, device, attempt + 1), delay, TimeUnit.NANOSECONDS);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.warn("bridge {}: link {}: shutting down; the device entry for port {} stays", bridge, device, port);
            }
        });
    }

    private void clearControlBlocks(DirectLink link) {
        for (int p : new int[] {link.key.a(), link.key.b()}) {
            ports.apply(p).ifPresent(port -> {
                PortControlBlock c = port.control();
                if (c.linkGeneration() == link.generation) {
                    c.clearLink();
                    c.linkState(LinkState.NORMAL);
                }
            });
        }
    }

    private void freeQuietly(LinkRegion region) {
        if (region == null) {
            return;
        }
        try {
            store.free(region);
        } catch (IOException e) {
            log.warn("bridge {}: freeing link region {}: {}", bridge, region.region().name(), e.getMessage());
        }
    }

    // ---- poll: the words, timeouts, liveness ----

    private void schedulePoll(long delayNanos) {
        if (closed) {
            return;
        }
        long at = System.nanoTime() + delayNanos;
        if (nextPoll != null && !nextPoll.isDone() && nextPollAt <= at) {
            return;
        }
        if (nextPoll != null) {
            nextPoll.cancel(false);
        }
        nextPollAt = at;
        nextPoll = control.schedule(this::poll, delayNanos, TimeUnit.NANOSECONDS);
    }

    private boolean anyInFlight() {
        for (DirectLink l : links.values()) {
            // A link waiting for the operator's command is looked at by the idle poll only.
            if (l.phase.inFlight() && l.awaitingOperator.isEmpty() || l.phase == LinkPhase.FAILED) {
                return true;
            }
        }
        return false;
    }

    void poll() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        try {
            for (DirectLink link : new ArrayList<>(links.values())) {
                step(link, now);
            }
            statistics.settle();
            boolean retryDue = false;
            for (DirectLink l : links.values()) {
                retryDue |= l.phase == LinkPhase.RETRY_WAIT && now >= l.retryAtNanos;
                retryDue |= l.adoptGraceUntilNanos != 0 && now >= l.adoptGraceUntilNanos;
            }
            if (retryDue) {
                for (DirectLink l : new ArrayList<>(links.values())) {
                    if (l.phase == LinkPhase.RETRY_WAIT && now >= l.retryAtNanos) {
                        links.remove(l.key);
                    }
                }
                reconcile();
            }
        } catch (RuntimeException e) {
            log.error("bridge {}: link manager poll failed: {}", bridge, e.toString(), e);
        }
        nextPoll = null;
        nextPollAt = Long.MAX_VALUE;
        schedulePoll(anyInFlight() ? TimeUnit.MICROSECONDS.toNanos(BUSY_POLL_MICROS)
                : TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS));
    }

    private void step(DirectLink link, long now) {
        long inPhase = now - link.phaseSinceNanos;
        switch (link.phase) {
            case PLUGGING -> {
                if (!link.awaitingOperator.isEmpty()) {
                    if (link.plugsPending == 0 && now >= link.retryAtNanos) {
                        List<LinkPort> again = List.copyOf(link.awaitingOperator);
                        link.plugsPending = again.size();
                        for (LinkPort p : again) {
                            agent.plug(p.name(), link.name, link.file).whenComplete((ok, failure) ->
                                    control.execute(() -> plugged(link, p, failure)));
                        }
                    }
                    return;
                }
                if (inPhase > plugTimeoutNanos) {
                    link.error = "the compute agent did not plug within "
                            + TimeUnit.NANOSECONDS.toMillis(plugTimeoutNanos) + " ms";
                    link.phase = LinkPhase.RETRY_WAIT; // plug callbacks that come later unplug what they did
                    links.remove(link.key);
                    DirectLink placeholder = DirectLink.retrying(link.key, link.name, link.directions, now);
                    links.put(link.key, placeholder);
                    unplugBoth(link);
                    freeQuietly(link.region);
                    clearControlBlocks(link);
                    retryLater(placeholder, LinkPhase.PLUGGING, link.error, now);
                }
            }
            case TX_SWITCHED, FENCED, DIRECT -> establishing(link, now, inPhase);
            case REVERTING, FAILED -> reverting(link, now, inPhase);
            case RETRY_WAIT, NORMAL -> {
            }
        }
    }

    private void establishing(DirectLink link, long now, long inPhase) {
        String bad = misbehaviour(link);
        if (bad != null) {
            revert(link, bad);
            return;
        }
        String dead = deadVnf(link);
        if (dead != null) {
            revert(link, dead);
            return;
        }
        // A direction whose producer has not switched and has sent nothing since req=1 is idle, not
        // stalled (a receive-only VNF): it switches at its next transmit burst, whenever that is. The
        // link as a whole follows its active directions; the idle one is shown waiting in `error`.
        boolean allFenced = true;
        boolean allReading = true;
        int active = 0;
        String idle = null;
        for (DirectLink.Direction d : link.directions) {
            if (idleDirection(d)) {
                idle = idleReason(d);
                continue;
            }
            active++;
            allFenced &= d.words.fence() != LinkDirection.UNSET_POSITION;
            allReading &= d.words.rxState() == LinkDirection.RX_READING;
        }
        if (active > 0 && link.phase == LinkPhase.TX_SWITCHED && allFenced) {
            link.error = idle;
            move(link, LinkPhase.FENCED, idle == null ? "every producer switched (tx_ack=1); fence published"
                    : "every transmitting producer switched (tx_ack=1); fence published; " + idle);
        }
        if (active > 0 && link.phase == LinkPhase.FENCED && allReading) {
            link.error = idle;
            move(link, LinkPhase.DIRECT, idle == null ? "every consumer passed the fence (rx_state=1)"
                    : "every consumer of a transmitting producer passed the fence (rx_state=1); " + idle);
            return;
        }
        if (link.phase == LinkPhase.DIRECT) {
            link.error = idle;   // cleared once the idle producer has switched too
            return;
        }
        if (now - link.phaseSinceNanos > stepTimeoutNanos) {
            if (active == 0 && idle != null) {
                // Nothing to switch yet, nothing lost by waiting (docs/direct-link-protocol.md, stalls).
                link.error = idle;
                return;
            }
            revert(link, "step timeout: " + link.phase + " for " + TimeUnit.NANOSECONDS.toMillis(inPhase) + " ms ("
                    + waitingFor(link) + ")");
        }
    }

    /** The producer of {@code d} has not acked req=1 and has sent nothing on its port since it was written. */
    private static boolean idleDirection(DirectLink.Direction d) {
        return d.words.txAck() == LinkDirection.REQUEST_NONE
                && d.from.txProduced().getAsLong() == d.txProducedAtRequest;
    }

    private static String idleReason(DirectLink.Direction d) {
        return "waiting for the VNF of port " + d.from.name() + " to transmit (it switches at its next burst)";
    }

    private String waitingFor(DirectLink link) {
        for (DirectLink.Direction d : link.directions) {
            if (idleDirection(d)) {
                continue;
            }
            if (d.words.txAck() != LinkDirection.REQUEST_DIRECT) {
                return "no tx_ack=1 from the VNF of port " + d.from.name();
            }
            if (d.words.fence() == LinkDirection.UNSET_POSITION) {
                return "no fence for port " + d.to.name() + " from the switch";
            }
            if (d.words.rxState() != LinkDirection.RX_READING) {
                return "the VNF of port " + d.to.name() + " has not passed the fence";
            }
        }
        return "nothing";
    }

    private void reverting(DirectLink link, long now, long inPhase) {
        if (portGone(link)) {
            tearDown(link, whyUnwanted(link));
            return;
        }
        boolean done = true;
        String idle = null;
        boolean stalled = false;
        for (DirectLink.Direction d : link.directions) {
            if (!d.producerDeadReported && vnfDead(d.from)) {
                // docs/direct-link-protocol.md, Failures: A dead = its final position is what it is (tx_ack=2).
                d.producerDeadReported = true;
                dataplane.producerDead(link.region, d.index);
                log.warn("bridge {}: link {}: the VNF of port {} (producer of direction {}) is dead; treated as tx_ack=2",
                        bridge, link.name, d.from.name(), d.index);
            }
            boolean consumerPortGone = ports.apply(d.to.ofport()).isEmpty();
            if (!d.consumerTakenOver && d.words.rxState() != LinkDirection.RX_DETACHED
                    && (consumerPortGone || vnfDead(d.to))) {
                d.consumerTakenOver = true;
                dataplane.takeOverConsumer(link.region, d.index);
                log.warn("bridge {}: link {}: the {} of port {} (consumer of direction {}) is gone; the switch drains"
                        + " the link ring", bridge, link.name, consumerPortGone ? "port" : "VNF", d.to.name(), d.index);
            }
            boolean consumerGone = d.words.rxState() != LinkDirection.RX_READING || d.consumerTakenOver;
            boolean directionDone = d.words.isClosed() && consumerGone;
            done &= directionDone;
            if (!directionDone) {
                if (!d.producerDeadReported && idleDirection(d)) {
                    // Never switched, never sent: it acks 2 at its next burst without using L (revert
                    // rules); until then L is empty and nobody reads it. Unplugging is not safe while
                    // it lives (it may be switching this very moment), so the link waits, not fails.
                    idle = "waiting for the VNF of port " + d.from.name()
                            + " to transmit (it never switched; it acks the revert at its next burst or when it dies)";
                } else {
                    stalled = true;
                }
            }
        }
        if (done) {
            finish(link, "revert complete (closed, link ring drained)");
            return;
        }
        if (!stalled && idle != null) {
            link.error = idle;
            // Waiting on an idle producer is no stall: the step timeout counts from the end of the
            // wait. Otherwise the moment the idle producer dies (its direction closes at the PMD's
            // next poll of its port) would find the phase older than the timeout and fail the link.
            link.phaseSinceNanos = now;
            return;
        }
        if (link.phase == LinkPhase.REVERTING && inPhase > stepTimeoutNanos) {
            link.error = "revert stalled: " + revertWaitingFor(link);
            move(link, LinkPhase.FAILED, link.error + "; the region stays plugged until the VNF answers or dies");
        }
    }

    private String revertWaitingFor(DirectLink link) {
        for (DirectLink.Direction d : link.directions) {
            if (d.words.txAck() != LinkDirection.REQUEST_REVERT && !d.producerDeadReported) {
                return "no tx_ack=2 from the VNF of port " + d.from.name();
            }
            if (!d.words.isClosed()) {
                return "the link ring towards port " + d.to.name() + " is not drained/closed";
            }
            if (d.words.rxState() == LinkDirection.RX_READING) {
                return "the VNF of port " + d.to.name() + " still reads the link ring";
            }
        }
        return "nothing";
    }

    /** Values no correct shim writes: the link is reverted (untrusted words are compared, never used). */
    private static String misbehaviour(DirectLink link) {
        for (DirectLink.Direction d : link.directions) {
            long ack = d.words.txAck();
            if (ack < LinkDirection.REQUEST_NONE || ack > LinkDirection.REQUEST_REVERT) {
                return "the VNF of port " + d.from.name() + " wrote tx_ack=" + ack + " (expected 0..2)";
            }
            long rx = d.words.rxState();
            if (rx < LinkDirection.RX_NOT_READING || rx > LinkDirection.RX_DETACHED) {
                return "the VNF of port " + d.to.name() + " wrote rx_state=" + rx + " (expected 0..2)";
            }
        }
        return null;
    }

    private String deadVnf(DirectLink link) {
        for (DirectLink.Direction d : link.directions) {
            for (LinkPort p : List.of(d.from, d.to)) {
                if (vnfDead(p)) {
                    return "the VNF of port " + p.name() + " (pid " + p.control().vnfPid() + ") is dead";
                }
            }
        }
        return null;
    }

    /**
     * Known dead, not merely slow: a process VNF's pid (from its control block) no longer
     * exists. A VM announces pid 0; its death comes from the agent/timeouts, not from here.
     */
    static boolean vnfDead(LinkPort port) {
        long pid = port.control().vnfPid();
        if (pid <= 0) {
            return false;
        }
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    private void move(DirectLink link, LinkPhase to, String reason) {
        LinkPhase from = link.phase;
        link.phase = to;
        link.phaseSinceNanos = System.nanoTime();
        link.region.linkState(to.sharedState());
        for (int p : new int[] {link.key.a(), link.key.b()}) {
            ports.apply(p).ifPresent(port -> port.control().linkState(to.sharedState()));
        }
        link.lastTransition = journal.record(link.name, from, to, reason);
        schedulePoll(0);
    }

    // ---- views ----

    /** The links of this bridge now (from any thread: the snapshot is taken on the control thread). */
    public List<LinkView> links() throws IOException {
        try {
            return control.submit(() -> {
                statistics.settle();
                long now = System.nanoTime();
                List<LinkView> out = new ArrayList<>();
                for (DirectLink l : links.values()) {
                    out.add(l.view(now));
                }
                out.addAll(pathsWithoutLink());
                return out;
            }).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("bridge " + bridge + ": listing links failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("bridge " + bridge + ": the control thread did not answer within 5 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Direct paths that hold but have no link (policy, no gate, a port busy): shown as NORMAL with the reason. */
    private List<LinkView> pathsWithoutLink() {
        DirectPathDetector detector = feed.detector();
        Map<LinkKey, List<DirectPath>> shown = new LinkedHashMap<>();
        for (DirectPath p : detector.paths()) {
            Optional<DirectPath> back = detector.pathFrom(p.to());
            LinkKey key = back.isPresent() && back.get().to() == p.from() ? LinkKey.pair(p.from(), p.to())
                    : LinkKey.single(p.from(), p.to());
            if (!links.containsKey(key)) {
                shown.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
            }
        }
        List<LinkView> out = new ArrayList<>();
        for (Map.Entry<LinkKey, List<DirectPath>> e : shown.entrySet()) {
            LinkKey key = e.getKey();
            List<LinkView.DirectionView> dirs = new ArrayList<>();
            for (DirectPath p : e.getValue()) {
                dirs.add(new LinkView.DirectionView(portName(p.from()), portName(p.to()), p.from(), p.to(),
                        LinkPhase.NORMAL.name(), 0, 0));
            }
            dirs.sort(java.util.Comparator.comparingInt(d -> d.fromOfport() == key.a() ? 0 : 1));
            out.add(new LinkView(null, 0, key.pair(), LinkPhase.NORMAL.name(), 0, dirs, null, whyNoLink(key)));
        }
        return out;
    }

    private String portName(int ofport) {
        return ports.apply(ofport).map(LinkPort::name).orElse(Integer.toUnsignedString(ofport));
    }

    private String whyNoLink(LinkKey key) {
        Optional<LinkPort> a = ports.apply(key.a());
        Optional<LinkPort> b = ports.apply(key.b());
        if (a.isEmpty() || b.isEmpty()) {
            return "not a dpdkr port";
        }
        if (!policy.enabled()) {
            return "direct links disabled switch-wide";
        }
        for (LinkPort p : List.of(a.get(), b.get())) {
            if (!policy.allows(p.name())) {
                return "direct links disabled on port " + p.name();
            }
        }
        if (busy(key)) {
            return "a port is still in another link";
        }
        return "being set up";
    }

    /** Stops polling; links stay as they are in shared memory (a restart re-adopts them). */
    public void close() {
        closed = true;
        if (nextPoll != null) {
            nextPoll.cancel(false);
        }
    }
}
