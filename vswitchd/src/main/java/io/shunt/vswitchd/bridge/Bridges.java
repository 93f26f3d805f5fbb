package io.shunt.vswitchd.bridge;

import io.shunt.datapath.cache.CacheConfig;
import io.shunt.datapath.engine.EngineConfig;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.vswitchd.config.BridgeConfig;
import io.shunt.vswitchd.config.ConfigDatabase;
import io.shunt.vswitchd.config.Configuration;
import io.shunt.vswitchd.config.PmdConfig;
import io.shunt.vswitchd.hostport.PatchPanel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The running bridges, kept equal to the configuration: created at start from the
 * restored configuration, then added, removed and reconfigured as {@link ConfigDatabase}
 * commits changes (on the thread that committed, i.e. a management request, which waits
 * for the datapath to follow).
 *
 * <p>Trust domains are sets of bridges: the bridges naming one domain get one pool from
 * {@link TrustDomainPools}, and the pool's file is deleted here, with the domain's last bridge
 * (deleted, or moved to another domain), never with a bridge that still has company.
 */
public final class Bridges implements ConfigDatabase.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Bridges.class);

    private final Path runDir;
    private final RegionOptions regions;
    private final Map<String, Bridge> bridges = new ConcurrentSkipListMap<>();
    private final Bridge.LinkSettings links;
    private EngineConfig engineConfig;
    private final PatchPanel patches = new PatchPanel();
    private final TrustDomainPools pools;
    private boolean directLinks;

    public Bridges(Path runDir, Path regionDir, Bridge.LinkSettings links) {
        this(runDir, RegionOptions.in(regionDir), links);
    }

    /** Bridges whose regions are created as {@code regions} says (directory, mode, owner and group). */
    public Bridges(Path runDir, RegionOptions regions, Bridge.LinkSettings links) {
        this.runDir = runDir;
        this.regions = regions;
        this.links = links;
        this.pools = new TrustDomainPools(regions, Bridge.POOL_BUFFERS);
    }

    private Bridge newBridge(BridgeConfig b) throws IOException, InterruptedException {
        try {
            return new Bridge(b, runDir, regions, engineConfig,
                    links.withEnabled(directLinks), patches, pools);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // A bridge that did not start must not keep its domain's pool counted as in use.
            pools.release(b.name());
            throw e;
        }
    }

    static EngineConfig engineConfig(PmdConfig pmd) {
        // A park of 0 us (allowed in the configuration) is the shortest park the back-off has, 1 us.
        return new EngineConfig(pmd.threads(), pmd.burst(), pmd.spinPolls(), pmd.yieldPolls(), Math.max(1, pmd.parkMicros()),
                CacheConfig.defaults());
    }

    /** Starts every configured bridge. */
    public synchronized void start(Configuration config) throws IOException, InterruptedException {
        engineConfig = engineConfig(config.pmd());
        directLinks = config.directLinks();
        for (BridgeConfig b : config.bridges()) {
            bridges.put(b.name(), newBridge(b));
        }
    }

    @Override
    public synchronized void changed(Configuration before, Configuration after) {
        try {
            for (String name : new ArrayList<>(bridges.keySet())) {
                if (after.bridge(name).isEmpty()) {
                    bridges.remove(name).destroy();
                    deletePoolIfUnused(before.bridge(name).orElseThrow().trustDomain(), after);
                }
            }
            for (BridgeConfig b : after.bridges()) {
                Bridge running = bridges.get(b.name());
                if (running == null) {
                    bridges.put(b.name(), newBridge(b));
                } else if (!before.bridge(b.name()).equals(Optional.of(b))) {
                    BridgeConfig old = before.bridge(b.name()).orElseThrow();
                    if (!old.trustDomain().equals(b.trustDomain())) {
                        // Only a bridge without ports may change domain (ConfigDatabase): nothing maps its
                        // old pool through it, so it restarts on the new domain's pool.
                        running.close();
                        deletePoolIfUnused(old.trustDomain(), after);
                        bridges.put(b.name(), newBridge(b));
                    } else if (old.failMode() != b.failMode() || old.datapathId() != b.datapathId()) {
                        // The switch is built with its fail mode and datapath id: restart the bridge. Its
                        // regions stay, so VNFs keep their rings; flows are gone, as after a restart. The
                        // pool stays mapped while another bridge of the domain runs, and its file stays anyway.
                        running.close();
                        bridges.put(b.name(), newBridge(b));
                    } else {
                        running.reconfigure(b);
                    }
                }
            }
            if (before.directLinks() != after.directLinks()) {
                directLinks = after.directLinks();
                for (Bridge b : bridges.values()) {
                    b.directLinks(directLinks);
                }
            }
            PmdConfig was = before.pmd();
            PmdConfig now = after.pmd();
            if (!was.equals(now)) {
                EngineConfig next = engineConfig(now);
                if (!next.idlePolicy().equals(engineConfig.idlePolicy())) {
                    // The idle back-off is per PMD loop state: every running PMD takes it at its next round.
                    for (Bridge b : bridges.values()) {
                        b.setIdlePolicy(next.idlePolicy());
                    }
                    log.info("PMD idle policy changed to {} on every bridge", next.idlePolicy());
                }
                if (was.threads() != now.threads() || was.burst() != now.burst()) {
                    log.warn("PMD threads/burst changed to {}/{}: they apply at the next start of shunt-vswitchd",
                            now.threads(), now.burst());
                }
                // A bridge created from now on gets the new idle policy with the running thread count and burst.
                engineConfig = new EngineConfig(engineConfig.pmdThreads(), engineConfig.burst(), next.spinPolls(),
                        next.yieldPolls(), next.parkMicros(), engineConfig.cache());
            }
        } catch (IOException e) {
            // The configuration is committed; the datapath could not follow. Say which and keep going.
            log.error("applying the configuration change failed: {}", e.getMessage(), e);
            throw new IllegalStateException("datapath could not apply the change: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying the change", e);
        }
    }

    private void deletePoolIfUnused(String domain, Configuration after) throws IOException {
        if (after.bridges().stream().noneMatch(b -> b.trustDomain().equals(domain))) {
            pools.delete(domain);
        }
    }

    public List<Bridge> all() {
        return List.copyOf(bridges.values());
    }

    public Bridge get(String name) {
        return bridges.get(name);
    }

    @Override
    public synchronized void close() {
        for (Bridge b : bridges.values()) {
            b.close();
        }
        bridges.clear();
    }
}
