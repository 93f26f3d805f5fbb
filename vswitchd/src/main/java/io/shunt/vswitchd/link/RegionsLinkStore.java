package io.shunt.vswitchd.link;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.ivshmem.LinkDevice;
import io.shunt.ivshmem.LinkRegions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link LinkRegionStore} over ivshmem's {@link LinkRegions} (names, generations, sizes, owner and mode). */
public final class RegionsLinkStore implements LinkRegionStore {
    private static final Logger log = LoggerFactory.getLogger(RegionsLinkStore.class);

    private final LinkRegions regions;
    private final PacketPool pool;
    private final int ringCapacity;

    public RegionsLinkStore(LinkRegions regions, PacketPool pool, int ringCapacity) {
        this.regions = regions;
        this.pool = pool;
        this.ringCapacity = ringCapacity;
    }

    @Override
    public LinkRegion create(String bridge, int portA, int portB, boolean pair) throws IOException {
        return regions.create(bridge, portA, portB, pair ? 2 : 1, ringCapacity, pool);
    }

    @Override
    public Path file(LinkRegion link) {
        return link.region().file();
    }

    @Override
    public List<LinkRegion> existing(String bridge) throws IOException {
        List<LinkRegion> out = new ArrayList<>();
        for (LinkDevice d : regions.list(bridge)) {
            try {
                out.add(LinkRegion.attach(d.file()));
            } catch (IOException | RuntimeException e) {
                log.warn("bridge {}: link region {} cannot be attached ({}); deleting it", bridge, d.file(),
                        e.getMessage());
                regions.free(d.name());
            }
        }
        return out;
    }

    @Override
    public void free(LinkRegion link) throws IOException {
        regions.free(link);
    }
}
