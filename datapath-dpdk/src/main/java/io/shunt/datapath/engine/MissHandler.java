package io.shunt.datapath.engine;

import io.shunt.datapath.flow.FlowKey;

import java.lang.foreign.MemorySegment;

/**
 * The upcall on a flow-cache miss: classifies one packet through the layer above (the
 * OpenFlow pipeline in vswitchd) and returns the program and the megaflow mask. Called on
 * the PMD thread that missed, which waits for the answer, as in OVS's dpif-netdev (its
 * "upcall" runs in the PMD too). One instance per PMD ({@link MissHandler.Factory}), so it
 * may keep scratch state.
 *
 * <p>The mask must cover every key bit the answer depended on: the engine gives the same
 * program to every packet that agrees with {@code key} on the mask, until the next
 * {@link io.shunt.datapath.cache.FlowGeneration} change.
 */
public interface MissHandler {

    /** @param frame the packet's bytes: {@code segment[offset, offset + length)}, read-only */
    Megaflow classify(FlowKey key, MemorySegment segment, long offset, int length, int inPort);

    @FunctionalInterface
    interface Factory {
        MissHandler create(int pmdId);
    }
}
