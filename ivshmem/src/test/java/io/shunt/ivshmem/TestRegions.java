package io.shunt.ivshmem;

import java.io.IOException;
import java.nio.file.Path;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.region.RegionOptions;

/** Real regions for tests: a small pool and port regions in a temporary region directory. */
public final class TestRegions {
    private TestRegions() {
    }

    public static PacketPool pool(Path regionDirectory, String name) throws IOException {
        return PacketPool.create(RegionOptions.in(regionDirectory), name, 64, 1);
    }

    /** Creates port region {@code shunt-port-<port>} with ofport {@code ofport}, closes the mapping, returns the file. */
    public static Path port(Path regionDirectory, String port, int ofport, PacketPool pool) throws IOException {
        String name = "shunt-port-" + port;
        try (PortRegion region = PortRegion.create(RegionOptions.in(regionDirectory), name, ofport, 64, pool, 1)) {
            return region.region().file();
        }
    }
}
