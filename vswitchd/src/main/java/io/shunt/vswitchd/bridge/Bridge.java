package io.shunt.vswitchd.bridge;

import io.shunt.datapath.engine.DpdkrPort;
import io.shunt.datapath.engine.EngineConfig;
import io.shunt.datapath.engine.ForwardingEngine;
import io.shunt.datapath.engine.MacLearningTable;
import io.shunt.datapath.engine.IdlePolicy;
import io.shunt.datapath.engine.PmdStats;
import io.shunt.datapath.engine.PortDriver;
import io.shunt.datapath.hostport.AfPacketConfig;
import io.shunt.datapath.hostport.AfPacketPort;
import io.shunt.datapath.hostport.HostPortException;
import io.shunt.datapath.hostport.PatchPort;
import io.shunt.datapath.hostport.TapPort;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionNames;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.ofproto.OpenFlowAgent;
import io.shunt.ofproto.OpenFlowSwitch;
import io.shunt.ofproto.SwitchConfig;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.vswitchd.hostport.HostPortOptions;
import io.shunt.vswitchd.hostport.PatchPanel;
import io.shunt.vswitchd.config.BridgeConfig;
import io.shunt.vswitchd.config.FailMode;
import io.shunt.vswitchd.config.PortConfig;
import io.shunt.vswitchd.config.PortType;
import io.shunt.vswitchd.link.DeviceAgent;
import io.shunt.vswitchd.link.LinkJournal;
import io.shunt.vswitchd.link.LinkManager;
import io.shunt.vswitchd.link.LinkPolicy;
import io.shunt.vswitchd.link.LinkPort;
import io.shunt.vswitchd.link.LinkStatistics;
import io.shunt.vswitchd.link.RegionsLinkStore;
import io.shunt.ivshmem.LinkRegions;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running bridge: the packet pool of its trust domain (shared with the other bridges
 * of the domain, see {@link TrustDomainPools}), its forwarding
 * engine and ports, its OpenFlow switch and agent (the configured controllers and
 * listeners, plus {@code punix:<run-dir>/<bridge>.mgmt} for ovs-ofctl and shunt-ctl).
 *
 * <p>Restart: a pool or port region file that already exists is attached, not re-created,
 * so VNFs that kept their mappings across a vswitchd crash keep working. Buffers that the
 * dead process held (in PMD batches, half-forwarded) are lost to the pool; the pool is
 * sized so that this does not matter for a few restarts.
 */
public final class Bridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Bridge.class);
    /** Buffers in a trust domain's pool (shared by all bridges of the domain). */
    static final int POOL_BUFFERS = 16_384;
    /** Slots of each dpdkr ring. */
    static final int RING_CAPACITY = 4_096;

    private final String name;
    private final RegionOptions regions;
    private final TrustDomainPools pools;
    private final PacketPool pool;
    private final ForwardingEngine engine;
    private final DpdkDatapath datapath;
    private final OpenFlowSwitch sw;
    private final OpenFlowAgent agent;
    private final Path mgmtSocket;
    private final LinkManager links;
    private final Map<String, Integer> portNumbers = new HashMap<>();
    private List<String> controllers = List.of();
    private volatile boolean directLinks;
    private volatile Set<String> directLinkOptOuts = Set.of();
    private final ScheduledFuture<?> carrierWatch;
    private final PatchPanel patches;

    public Bridge(BridgeConfig config, Path runDir, Path regionDir, EngineConfig engineConfig)
            throws IOException, InterruptedException {
        this(config, runDir, regionDir, engineConfig, new LinkSettings(true,
                new io.shunt.vswitchd.link.ManualDevicePlugging(regionDir.resolve("shunt-devices"))));
    }

    /** How a bridge does direct links: switch-wide on/off, who plugs devices into VNFs, how long steps may take. */
    public record LinkSettings(boolean enabled, DeviceAgent agent, io.shunt.vswitchd.link.LinkTimeouts timeouts) {
        public LinkSettings(boolean enabled, DeviceAgent agent) {
            this(enabled, agent, io.shunt.vswitchd.link.LinkTimeouts.defaults());
        }

        public LinkSettings withEnabled(boolean on) {
            return new LinkSettings(on, agent, timeouts);
        }
    }

    public Bridge(BridgeConfig config, Path runDir, Path regionDir, EngineConfig engineConfig, LinkSettings linkSettings)
            throws IOException, InterruptedException {
        this(config, runDir, RegionOptions.in(regionDir), engineConfig, linkSettings, new PatchPanel(),
                new TrustDomainPools(RegionOptions.in(regionDir), POOL_BUFFERS));
    }

    /**
     * A bridge whose regions (pool, ports, links) are created with {@code regions}' directory,
     * mode and owner (VNFs in QEMU need their regions openable by QEMU's user: {@code
     * --region-group libvirt-qemu}).
     *
     * @param patches where the patch ports of every bridge of this vswitchd meet their peers
     * @param pools the pools of every trust domain of this vswitchd; this bridge takes its domain's
     */
    public Bridge(BridgeConfig config, Path runDir, RegionOptions regions, EngineConfig engineConfig,
                  LinkSettings linkSettings, PatchPanel patches, TrustDomainPools pools)
            throws IOException, InterruptedException {
        this.name = config.name();
        this.patches = patches;
        this.regions = regions;
        this.pools = pools;
        this.pool = pools.acquire(config.trustDomain(), name);
        MacLearningTable macs = new MacLearningTable(4096, 300_000_000_000L);
        DpdkDatapath[] dp = new DpdkDatapath[1];
        this.engine = new ForwardingEngine(name, pool, engineConfig, pmd -> dp[0].newUpcall(), macs);
        this.datapath = dp[0] = new DpdkDatapath(name, engine);
        SwitchConfig sc = SwitchConfig.defaults(config.datapathId())
                .withFailMode(config.failMode() == FailMode.SECURE ? io.shunt.ofproto.FailMode.SECURE
                        : io.shunt.ofproto.FailMode.STANDALONE)
                .withDpDesc("shunt bridge " + name);
        this.sw = new OpenFlowSwitch(sc, datapath);
        sw.addFlowTableListener(changes -> datapath.flowStateChanged());
        this.agent = new OpenFlowAgent(name, new BarrierGuard(sw, datapath));
        LinkStatistics linkStats = new LinkStatistics(sc.clock(), sw.flowTables());
        this.links = new LinkManager(name, agent.controlThread(), new RegionsLinkStore(new LinkRegions(regions), pool,
                RING_CAPACITY), linkSettings.agent(), new GateDataplane(name, engine, datapath, pool), linkStats,
                new LinkJournal(name, java.time.Clock.systemUTC()), this::linkPort, pool, linkSettings.timeouts());
        this.directLinks = linkSettings.enabled();
        datapath.linkStatistics(linkStats);
        datapath.portObserver(new DpdkDatapath.PortObserver() {
            @Override
            public void portUpdated(PortInfo info, PortDriver driver) {
                links.feed().portUpdated(info, driver instanceof DpdkrPort, pool.region().name());
            }

            @Override
            public void portRemoved(int portNo) {
                links.feed().portRemoved(portNo);
            }
        });
        sw.addFlowTableListener(links.feed());
        agent.start();
        sw.start(agent.controlThread());
        engine.start();
        onControlThread(() -> {
            reconfigurePorts(config);
            links.policyChanged(policy());
            links.adoptExisting();
            return null;
        });
        this.mgmtSocket = runDir.resolve(name + ".mgmt");
        Files.deleteIfExists(mgmtSocket);
        agent.listenService("punix:" + mgmtSocket);
        setControllers(config.controllers());
        this.carrierWatch = agent.controlThread().scheduleWithFixedDelay(new LinkWatcher(name, datapath),
                LinkWatcher.PERIOD_MILLIS, LinkWatcher.PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        log.info("bridge {} up: datapath id {}, fail mode {}, {} port(s), OpenFlow on {}", name,
                String.format("%016x", config.datapathId()), config.failMode().wireName(), config.ports().size(),
                mgmtSocket);
    }

    public String name() {
        return name;
    }

    public Path managementSocket() {
        return mgmtSocket;
    }

    public OpenFlowSwitch openFlowSwitch() {
        return sw;
    }

    public DpdkDatapath datapath() {
        return datapath;
    }

    public LinkManager links() {
        return links;
    }

    /** Switch-wide direct links on or off (config {@code direct-links}). */
    public void directLinks(boolean enabled) throws IOException {
        directLinks = enabled;
        onControlThread(() -> {
            links.policyChanged(policy());
            return null;
        });
    }

    private LinkPolicy policy() {
        return new LinkPolicy(directLinks, directLinkOptOuts);
    }

    private Optional<LinkPort> linkPort(int portNo) {
        PortInfo info = datapath.port(portNo);
        if (info != null && datapath.driver(portNo) instanceof DpdkrPort d) {
            io.shunt.datapath.ring.SpscRing tx = d.region().txRing(pool);
            return Optional.of(new LinkPort(portNo, info.name(), d.region().control(), tx::producerPosition));
        }
        return Optional.empty();
    }

    /** Changes the idle back-off of this bridge's PMDs while they run. */
    public void setIdlePolicy(IdlePolicy policy) {
        engine.setIdlePolicy(policy);
    }

    public List<PmdStats> pmdStats() {
        return engine.pmdStats();
    }

    /** Applies a changed configuration of this bridge: ports and controllers. */
    public void reconfigure(BridgeConfig config) throws IOException, InterruptedException {
        onControlThread(() -> {
            reconfigurePorts(config);
            return null;
        });
        if (!config.controllers().equals(controllers)) {
            setControllers(config.controllers());
        }
    }

    private void reconfigurePorts(BridgeConfig config) throws IOException {
        Set<String> optOuts = new HashSet<>();
        for (PortConfig p : config.ports()) {
            if (!p.directLinks()) {
                optOuts.add(p.name());
            }
        }
        directLinkOptOuts = Set.copyOf(optOuts);
        links.policyChanged(policy());
        Set<String> wanted = new HashSet<>();
        for (PortConfig p : config.ports()) {
            wanted.add(p.name());
        }
        for (String existing : new ArrayList<>(portNumbers.keySet())) {
            if (!wanted.contains(existing)) {
                removePort(existing);
            }
        }
        for (PortConfig p : config.ports()) {
            if (!portNumbers.containsKey(p.name())) {
                addPort(p);
            }
        }
    }

    private void addPort(PortConfig p) throws IOException {
        switch (p.type()) {
            case DPDKR -> addDpdkrPort(p);
            case AFPACKET -> addAfPacketPort(p);
            case INTERNAL -> addInternalPort(p);
            case PATCH -> addPatchPort(p);
        }
    }

    /**
     * A TAP device named after the port, for the host stack. The one named like the bridge is
     * the bridge's LOCAL port (OFPP_LOCAL: the engine takes that number as its own port's, so
     * {@code in_port=LOCAL}, {@code output:LOCAL}, FLOOD, ALL and NORMAL reach it as they would
     * in Open vSwitch). A failure is logged, as for afpacket.
     */
    private void addInternalPort(PortConfig p) {
        TapPort port;
        try {
            port = TapPort.create(p.name(), p.ofport(), pool);
        } catch (HostPortException e) {
            log.error("bridge {}: port {} not added: {}", name, p.name(), e.getMessage());
            return;
        }
        addHostPort(p, port, port.hwAddr(), "internal, TAP device " + p.name());
    }

    /** One end of a patch pair; joined to its peer (on any bridge) as soon as both exist. */
    private void addPatchPort(PortConfig p) {
        String peer = p.options().get(HostPortOptions.PEER);
        if (peer == null) {
            log.error("bridge {}: patch port {} not added: it has no peer option", name, p.name());
            return;
        }
        PatchPort port = new PatchPort(p.name(), peer, p.ofport(), pool);
        addHostPort(p, port, port.hwAddr(), "patch, peer " + peer);
        patches.plug(port);
    }

    private void addHostPort(PortConfig p, PortDriver port, long mac, String what) {
        PortInfo info = PortInfo.virtual(p.ofport(), mac, p.name());
        if (!port.linkUp()) {
            info = info.withState(Set.of(OFPortState.LINK_DOWN));
        }
        datapath.addPort(info, port);
        portNumbers.put(p.name(), p.ofport());
        log.info("bridge {}: port {} is OpenFlow port {} ({}, link {})", name, p.name(), portText(p.ofport()), what,
                port.linkUp() ? "up" : "down");
    }

    /**
     * An existing Linux interface through AF_PACKET. A failure (the interface is missing after
     * a restart, no CAP_NET_RAW) leaves the port out of the datapath with the reason logged,
     * and the bridge running; the next reconfiguration tries again. add-port itself refuses a
     * missing interface before it is configured ({@link io.shunt.vswitchd.hostport.HostPortCheck}).
     */
    private void addAfPacketPort(PortConfig p) {
        String ifname = HostPortOptions.interfaceName(p);
        AfPacketPort port;
        try {
            port = AfPacketPort.open(p.name(), ifname, p.ofport(), pool, AfPacketConfig.defaults());
        } catch (HostPortException e) {
            log.error("bridge {}: port {} not added: {}", name, p.name(), e.getMessage());
            return;
        }
        PortInfo info = PortInfo.virtual(p.ofport(), port.hwAddr(), p.name());
        if (!port.linkUp()) {
            info = info.withState(Set.of(OFPortState.LINK_DOWN));
        }
        datapath.addPort(info, port);
        portNumbers.put(p.name(), p.ofport());
        log.info("bridge {}: port {} is OpenFlow port {} (afpacket on {}, link {})", name, p.name(), p.ofport(),
                ifname, port.linkUp() ? "up" : "down");
    }

    private void addDpdkrPort(PortConfig p) throws IOException {
        Path file = PortRegionNames.regionFile(regions.directory(), p.name());
        PortRegion region = null;
        if (Files.exists(file)) {
            try {
                PortRegion old = PortRegion.attach(file);
                if (old.portNumber() == p.ofport() && old.poolName().equals(pool.region().name())) {
                    region = old;
                    log.info("bridge {}: port {} re-attached its region {} (VNF keeps its mapping)", name, p.name(),
                            file);
                } else {
                    log.info("bridge {}: region {} belongs to port {} of pool {}; re-creating it", name, file,
                            old.portNumber(), old.poolName());
                    old.close();
                }
            } catch (IOException | RuntimeException e) {
                log.warn("bridge {}: region {} is unusable ({}); re-creating it", name, file, e.getMessage());
            }
            if (region == null) {
                Files.delete(file);
            }
        }
        if (region == null) {
            region = PortRegion.create(regions, PortRegionNames.regionName(p.name()), p.ofport(), RING_CAPACITY, pool,
                    System.currentTimeMillis());
        }
        PortDriver driver = new DpdkrPort(p.name(), region, pool);
        // A locally administered MAC derived from the port number, as OVS derives one for internal ports.
        long mac = 0x02_00_00_00_00_00L | ((long) (name.hashCode() & 0xffff) << 16) | (p.ofport() & 0xffff);
        datapath.addPort(PortInfo.virtual(p.ofport(), mac, p.name()), driver);
        portNumbers.put(p.name(), p.ofport());
        log.info("bridge {}: port {} is OpenFlow port {} ({})", name, p.name(), p.ofport(), file);
    }

    private void removePort(String portName) throws IOException {
        Integer no = portNumbers.remove(portName);
        if (no == null) {
            return;
        }
        PortDriver driver = datapath.driver(no);
        boolean dpdkr = driver instanceof DpdkrPort;
        if (driver instanceof PatchPort patch) {
            // The peer stops sending here before this end leaves the engine.
            patches.unplug(patch);
        }
        datapath.removePort(no);
        if (dpdkr) {
            Files.deleteIfExists(PortRegionNames.regionFile(regions.directory(), portName));
        }
        log.info("bridge {}: port {} (OpenFlow port {}) removed", name, portName, portText(no));
    }

    /** A port number as ovs-ofctl writes it. */
    private static String portText(int portNo) {
        return portNo == PortConfig.LOCAL_OFPORT ? "LOCAL" : Integer.toUnsignedString(portNo);
    }

    private void setControllers(List<String> targets) throws InterruptedException {
        for (String old : controllers) {
            if (!targets.contains(old)) {
                if (!agent.removeController(old)) {
                    agent.stopListening(old);
                }
            }
        }
        for (String t : targets) {
            if (!controllers.contains(t)) {
                agent.addController(t);
            }
        }
        controllers = List.copyOf(targets);
    }

    private <T> T onControlThread(Callable<T> work) throws IOException {
        try {
            return agent.controlThread().submit(work).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("bridge " + name + ": " + c.getMessage(), c);
        } catch (TimeoutException e) {
            throw new IOException("bridge " + name + ": the control thread did not answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("bridge " + name + ": interrupted", e);
        }
    }

    /** Stops the switch and the engine. Region files stay (VNFs may still map them); {@link #destroy} removes them. */
    @Override
    public void close() {
        for (PortInfo info : datapath.ports()) {
            if (datapath.driver(info.portNo()) instanceof PatchPort patch) {
                patches.unplug(patch);
            }
        }
        try {
            onControlThread(() -> {
                links.close();
                return null;
            });
        } catch (IOException | RuntimeException e) {
            log.warn("bridge {}: stopping the link manager: {}", name, e.getMessage());
        }
        carrierWatch.cancel(false);
        agent.close();
        sw.stop();
        engine.close();
        pools.release(name);
        log.info("bridge {} stopped", name);
    }

    /**
     * Closes the bridge and deletes its port region files (the bridge was deleted from the
     * configuration). The pool belongs to the trust domain: {@link Bridges} deletes it with the
     * domain's last bridge.
     */
    public void destroy() throws IOException {
        close();
        for (String port : portNumbers.keySet()) {
            Files.deleteIfExists(PortRegionNames.regionFile(regions.directory(), port));
        }
    }
}
