package io.shunt.ivshmem;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.region.RegionOptions;

/**
 * The life of link regions in one region directory (contract-links.md section 2): create one
 * under its {@link LinkName} with a fresh {@link LinkGenerations generation}, sized for an
 * ivshmem-plain device and with the configured owner and mode (QEMU runs as
 * {@code libvirt-qemu}); list the ones present, so that a restarted vswitchd can re-adopt
 * them; free (unlink) them once the link is reverted.
 *
 * <p>Cold path: every call touches the file system. Not thread-safe beyond what
 * {@link LinkGenerations} guarantees; the link manager calls it from its control thread.
 */
public final class LinkRegions {
    private static final Logger LOG = LoggerFactory.getLogger(LinkRegions.class);

    private final RegionOptions options;
    private final LinkGenerations generations;

    public LinkRegions(RegionOptions options) {
        this.options = options;
        this.generations = new LinkGenerations(options.directory());
    }

    /**
     * Creates the link region of a new generation between ofports {@code portA} and
     * {@code portB} of {@code bridge}: ring 0 carries A⇒B; with {@code directions == 2} (a
     * point-to-point pair, where A must be the lower ofport) ring 1 carries B⇒A. The file is
     * at least {@link LinkDevice#deviceMiB()} MiB long (a sparse tail on tmpfs), as QEMU's
     * ivshmem-plain backend requires. The caller owns the returned region (close it, or
     * {@link #free(LinkRegion)} it).
     */
    public LinkRegion create(String bridge, int portA, int portB, int directions, int ringCapacity, PacketPool pool)
            throws IOException {
        if (directions == 2 && portA > portB) {
            throw new IllegalArgumentException("link of pair " + portA + "<=>" + portB + " on " + bridge
                    + ": A must be the lower ofport of a pair (contract-links.md section 2)");
        }
        long generation = generations.next();
        LinkName name = new LinkName(bridge, portA, portB, generation);
        LinkRegion link = LinkRegion.create(options, name.regionName(), generation, portA, portB, directions,
                ringCapacity, pool);
        try {
            LinkDevice device = LinkDevice.of(link);
            extendTo(device.file(), device.deviceBytes());
            LOG.info("link region {} created: {} direction(s), rings of {} slots, region {} bytes, device {} MiB, {}",
                    name, directions, ringCapacity, device.regionBytes(), device.deviceMiB(), device.file());
            return link;
        } catch (IOException | RuntimeException e) {
            link.region().delete();
            throw e;
        }
    }

    /** Creates the link region {@link #create} would, and returns its descriptor as well. */
    public record Created(LinkRegion region, LinkDevice device) {
    }

    /** {@link #create} plus {@link LinkDevice#of}, for callers that need both at once. */
    public Created createDevice(String bridge, int portA, int portB, int directions, int ringCapacity, PacketPool pool)
            throws IOException {
        LinkRegion region = create(bridge, portA, portB, directions, ringCapacity, pool);
        return new Created(region, LinkDevice.of(region));
    }

    /**
     * The link regions present in the directory, by generation: each one attached and checked
     * (header, protocol words, rings, name against header) and unmapped again. A file named like
     * a link that does not pass is skipped and logged at WARN with the reason; re-adopt the
     * good ones with {@link LinkRegion#attach}{@code (device.file())}.
     */
    public List<LinkDevice> list() throws IOException {
        return list(null);
    }

    /** As {@link #list()}, only the links of {@code bridge} ({@code null}: all bridges). */
    public List<LinkDevice> list(String bridge) throws IOException {
        List<LinkDevice> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(options.directory(), LinkName.PREFIX + "*")) {
            for (Path file : entries) {
                Optional<LinkName> name = LinkName.parse(file.getFileName().toString());
                if (name.isEmpty() || (bridge != null && !bridge.equals(name.get().bridge()))) {
                    continue;
                }
                describe(file).ifPresent(found::add);
            }
        }
        found.sort(Comparator.comparingLong(LinkDevice::generation));
        return found;
    }

    /** The descriptor of the link region in {@code file}, or empty (logged) if it is not a valid one. */
    public Optional<LinkDevice> describe(Path file) {
        try (LinkRegion link = LinkRegion.attach(file)) {
            return Optional.of(LinkDevice.of(link));
        } catch (IOException | RuntimeException e) {
            LOG.warn("skipping {}: not a valid link region: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Unmaps {@code link} and unlinks its file; true if the file was there. */
    public boolean free(LinkRegion link) throws IOException {
        Path file = link.region().file();
        link.close();
        return unlink(file);
    }

    /**
     * Unlinks the region file of link {@code name}; true if it was there. Processes that still
     * map it keep their mapping (the memory goes when the last one unmaps), so free a link
     * only after both VNFs have detached (docs/direct-link-protocol.md, revert step 4).
     */
    public boolean free(LinkName name) throws IOException {
        return unlink(options.fileOf(name.regionName()));
    }

    private static boolean unlink(Path file) throws IOException {
        boolean removed = Files.deleteIfExists(file);
        if (removed) {
            LOG.info("link region {} freed", file);
        }
        return removed;
    }

    private static void extendTo(Path file, long bytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (raf.length() < bytes) {
                raf.setLength(bytes);
            }
        }
    }

    public LinkGenerations generations() {
        return generations;
    }

    public RegionOptions options() {
        return options;
    }

    public Path directory() {
        return options.directory();
    }
}
