package io.shunt.vswitchd.link;

import io.shunt.datapath.port.LinkRegion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where link regions come from and go (contract §2): created with a fresh generation and
 * the name {@code shunt-link-<bridge>-<A>-<B>-<gen>}, listed after a restart, freed.
 */
public interface LinkRegionStore {

    /** Creates the region of a new link; {@code pair}: two directions (A the lower port). */
    LinkRegion create(String bridge, int portA, int portB, boolean pair) throws IOException;

    /** The file of a region (what is plugged into the VNFs). */
    Path file(LinkRegion link);

    /** The link regions of {@code bridge} that exist now (after a restart: to re-adopt). */
    List<LinkRegion> existing(String bridge) throws IOException;

    /** Unmaps and deletes the region. */
    void free(LinkRegion link) throws IOException;
}
