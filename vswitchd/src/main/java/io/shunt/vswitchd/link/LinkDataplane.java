package io.shunt.vswitchd.link;

import io.shunt.datapath.port.LinkRegion;

/**
 * The switch side (party S of docs/direct-link-protocol.md) of one link direction, as the
 * datapath provides it: the PMD that polls the producer's port enforces the tx gate (never
 * past {@code switch_pos}, fence after the burst that reached it, hold until {@code tx_ack = 2}
 * and the ring drained, then {@code closed}). The link manager only attaches, reports VNF
 * deaths and detaches; it never touches a ring. Called on the bridge's control thread.
 */
public interface LinkDataplane {

    /** Installs the gate of {@code direction} of {@code link} on the PMD that polls port {@code from}. */
    void attach(LinkRegion link, int direction, int from, int to);

    /** The producer of {@code direction} is dead: its final position is what it is (treated as {@code tx_ack = 2}). */
    void producerDead(LinkRegion link, int direction);

    /** The consumer of {@code direction} is dead: the switch consumes the link ring before the producer's port tx. */
    void takeOverConsumer(LinkRegion link, int direction);

    /** Removes the gate once the direction is closed (or was never used). */
    void detach(LinkRegion link, int direction);

    /**
     * The link traffic of a direction that did not cross the switch (what A put on the ring,
     * less what the switch took over after B died: those packets crossed the switch and are
     * counted there). Monotonic while the gate is attached.
     */
    LinkTraffic traffic(LinkRegion link, int direction);

    /** Re-installs the gate of a direction found in an existing region after a restart (state from its words). */
    void adopt(LinkRegion link, int direction, int from, int to);
}
