package io.shunt.datapath.region;

import java.lang.foreign.MemorySegment;

/**
 * Fills the kind-specific part of a new region (descriptors, ring capacities) before the
 * region becomes visible under its name: attachers never see a half-built region.
 */
@FunctionalInterface
public interface RegionInitializer {
    /** Writes the objects of a fresh, zero-filled region; the header is already written. */
    void initialise(MemorySegment region);
}
