package io.shunt.vnf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionNames;
import io.shunt.datapath.region.RegionOptions;

/**
 * What the switch provides to VNFs, for tests that run without it: a fresh region directory
 * under /dev/shm, one pool, and port regions named as the switch names them
 * ({@link PortRegionNames}). Everything is unmapped and deleted on close.
 */
final class SwitchStandIn implements AutoCloseable {
    static final int RING_CAPACITY = 1024;

    private final Path directory;
    private final PacketPool pool;
    private final List<PortRegion> ports = new ArrayList<>();
    private final List<PacketPool> otherPools = new ArrayList<>();

    SwitchStandIn(int poolBuffers) throws IOException {
        this.directory = Files.createTempDirectory(Path.of("/dev/shm"), "shunt-vnf-test-");
        this.pool = PacketPool.create(RegionOptions.in(directory), "pool-test", poolBuffers, 1);
    }

    /** Creates the region of port {@code name} (switch port number {@code number}). */
    PortRegion addPort(String name, int number) throws IOException {
        PortRegion port = PortRegion.create(RegionOptions.in(directory), PortRegionNames.regionName(name), number,
                RING_CAPACITY, pool, 1);
        ports.add(port);
        return port;
    }

    /** Creates the region of port {@code name} with a pool of its own (another trust domain). */
    PortRegion addPortWithOwnPool(String name, int number) throws IOException {
        PacketPool own = PacketPool.create(RegionOptions.in(directory), "pool-" + name, 64, 1);
        otherPools.add(own);
        PortRegion port = PortRegion.create(RegionOptions.in(directory), PortRegionNames.regionName(name), number,
                RING_CAPACITY, own, 1);
        ports.add(port);
        return port;
    }

    Path directory() {
        return directory;
    }

    PacketPool pool() {
        return pool;
    }

    @Override
    public void close() {
        ports.forEach(PortRegion::close);
        pool.close();
        otherPools.forEach(PacketPool::close);
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
