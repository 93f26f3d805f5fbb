package io.shunt.vswitchd.bridge;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.region.RegionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The packet pools of this vswitchd, one per trust domain ({@code shunt-pool-<domain>}),
 * handed to the bridges of the domain. Every bridge of a domain gets the same
 * {@link PacketPool} object, not a mapping of its own: a patch pair between two of them
 * passes indices only when both ends see one pool ({@code PatchPort} compares the objects).
 *
 * <p>Lifecycle follows the users: the first bridge of a domain creates the region, or
 * attaches the file a previous vswitchd left (VNFs may still map it); the pool is unmapped
 * when the last running bridge lets go of it (a bridge restart, a vswitchd stop) and its file
 * stays; {@link #delete} removes the file once no configured bridge names the domain.
 *
 * <p>Threading: called by {@link Bridges} under its lock and by bridge constructors and
 * {@code close} on that same thread; synchronized so that no caller has to know.
 */
public final class TrustDomainPools {
    private static final Logger log = LoggerFactory.getLogger(TrustDomainPools.class);

    private final RegionOptions regions;
    private final int bufferCount;
    private final Map<String, Held> held = new HashMap<>();

    /** A mapped pool and the bridges using it (by name, so that a release is idempotent). */
    private static final class Held {
        final PacketPool pool;
        final Set<String> users = new LinkedHashSet<>();

        Held(PacketPool pool) {
            this.pool = pool;
        }
    }

    /** Pools of {@code bufferCount} buffers, created as {@code regions} says (directory, mode, owner). */
    public TrustDomainPools(RegionOptions regions, int bufferCount) {
        this.regions = regions;
        this.bufferCount = bufferCount;
    }

    /** Pool region name of a trust domain. */
    public static String poolName(String domain) {
        return "shunt-pool-" + domain;
    }

    /** The domain's pool for bridge {@code user}: mapped already, attached from its file, or created. */
    public synchronized PacketPool acquire(String domain, String user) throws IOException {
        Held h = held.get(domain);
        if (h == null) {
            h = new Held(open(domain, user));
            held.put(domain, h);
        } else {
            log.info("bridge {}: shares pool {} of trust domain {} with {}", user, h.pool.region().name(), domain,
                    h.users);
        }
        h.users.add(user);
        return h.pool;
    }

    private PacketPool open(String domain, String user) throws IOException {
        Path file = regions.fileOf(poolName(domain));
        if (Files.exists(file)) {
            PacketPool pool = PacketPool.attach(file);
            log.info("bridge {}: re-attached pool {} of trust domain {} ({} buffers, {} free)", user, file, domain,
                    pool.bufferCount(), pool.freeCount());
            return pool;
        }
        PacketPool pool = PacketPool.create(regions, poolName(domain), bufferCount, System.currentTimeMillis());
        log.info("bridge {}: created pool {} of trust domain {} ({} buffers)", user, file, domain, bufferCount);
        return pool;
    }

    /**
     * Bridge {@code user} no longer uses its pool (it stopped, or failed to start); the last
     * user unmaps the pool, whose file stays (see {@link #delete}). A bridge holding no pool
     * is no error, so a failed start can always be cleaned up.
     */
    public synchronized void release(String user) {
        for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.users.remove(user) && h.users.isEmpty()) {
                it.remove();
                h.pool.close();
            }
        }
    }

    /**
     * Deletes the pool file of a domain no configured bridge names any more. A pool still in
     * use (a bridge of the domain is running) is left alone and the refusal logged.
     */
    public synchronized void delete(String domain) throws IOException {
        Held h = held.get(domain);
        if (h != null) {
            log.warn("pool {} of trust domain {} not deleted: bridge(s) {} still use it", poolName(domain), domain,
                    h.users);
            return;
        }
        if (Files.deleteIfExists(regions.fileOf(poolName(domain)))) {
            log.info("deleted pool {}: trust domain {} has no bridge left", poolName(domain), domain);
        }
    }
}
