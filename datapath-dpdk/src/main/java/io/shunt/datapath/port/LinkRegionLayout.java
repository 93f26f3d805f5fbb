package io.shunt.datapath.port;

import io.shunt.datapath.region.RegionHeaderLayout;
import io.shunt.datapath.ring.RingLayout;

/**
 * Byte layout of a link region, the ivshmem device of one direct link (DESIGN.md sections 2
 * and 4): header, link descriptor, one block of protocol words per direction (the words of
 * docs/direct-link-protocol.md), then one SPSC ring per direction (ring 0 carries A⇒B;
 * ring 1, present for a point-to-point pair, carries B⇒A). Offsets are from the region
 * start; docs/shm-layout.md mirrors them.
 *
 * <p>Each direction block groups its words by writer, each group on its own two cache
 * lines: the switch's (request, fence, closed, takeover), the producing VNF's (tx ack,
 * switch position), the consuming VNF's (rx state), and 128 reserved bytes for later
 * control versions. Both direction blocks exist even for a one-way link, so no offset
 * depends on the direction count. Every word has one writer, who stores it with release;
 * readers load it with acquire.
 */
public final class LinkRegionLayout {
    /** Version of this layout, checked on attach. */
    public static final int VERSION = 1;
    /** Version of the protocol words. */
    public static final int CONTROL_VERSION = 1;
    /** Layout table names. */
    public static final String DESCRIPTOR_ENTRY = "link";
    public static final String DIRECTIONS_ENTRY = "directions";
    public static final String RING0_ENTRY = "ring0";
    public static final String RING1_ENTRY = "ring1";
    /** Longest pool name stored here. */
    public static final int POOL_NAME_LENGTH = 64;

    public static final int DESCRIPTOR_OFFSET;
    public static final int DESCRIPTOR_LENGTH;
    // Relative to DESCRIPTOR_OFFSET; written once by the switch, except the live words:
    public static final int CONTROL_VERSION_OFFSET;
    public static final int DIRECTION_COUNT_OFFSET;
    public static final int RING_CAPACITY_OFFSET;
    public static final int LINK_GENERATION_OFFSET;
    public static final int PORT_A_OFFSET;
    public static final int PORT_B_OFFSET;
    public static final int POOL_GENERATION_OFFSET;
    public static final int POOL_NAME_OFFSET;
    public static final int LINK_STATE_OFFSET;
    public static final int SWITCH_HEARTBEAT_OFFSET;

    public static final int DIRECTIONS_OFFSET;
    public static final int DIRECTION_LENGTH;
    // Relative to the block of one direction (DIRECTIONS_OFFSET + d * DIRECTION_LENGTH).
    // The switch's words:
    public static final int REQUEST_OFFSET;
    public static final int FENCE_OFFSET;
    public static final int CLOSED_OFFSET;
    public static final int CONSUMER_TAKEOVER_OFFSET;
    // The producing VNF's words (A for direction 0):
    public static final int TX_ACK_OFFSET;
    public static final int SWITCH_POSITION_OFFSET;
    // The consuming VNF's words (B for direction 0):
    public static final int RX_STATE_OFFSET;
    public static final int DIRECTION_RESERVED_OFFSET;

    public static final int RING0_OFFSET;

    static {
        int offset = RegionHeaderLayout.HEADER_LENGTH;
        DESCRIPTOR_OFFSET = offset;               // 256 bytes
        int field = 0;
        CONTROL_VERSION_OFFSET = field;           // int: CONTROL_VERSION
        field += Integer.BYTES;
        DIRECTION_COUNT_OFFSET = field;           // int: 1 (A⇒B only) or 2 (pair: ring 1 carries B⇒A)
        field += Integer.BYTES;
        RING_CAPACITY_OFFSET = field;             // int: capacity of each ring
        field += Integer.BYTES;
        field += Integer.BYTES;                   // reserved, zero
        LINK_GENERATION_OFFSET = field;           // long: link generation G (also the header's generation)
        field += Long.BYTES;
        PORT_A_OFFSET = field;                    // int: switch port number of A (producer of ring 0)
        field += Integer.BYTES;
        PORT_B_OFFSET = field;                    // int: switch port number of B (consumer of ring 0)
        field += Integer.BYTES;
        POOL_GENERATION_OFFSET = field;           // long: generation of the pool the indices name
        field += Long.BYTES;
        field = 64;                               // bytes 40..63 reserved, zero
        POOL_NAME_OFFSET = field;                 // 64 bytes: pool region name, UTF-8, NUL-padded
        field += POOL_NAME_LENGTH;
        LINK_STATE_OFFSET = field;                // int: LinkState code, for observers (switch, release)
        field += Integer.BYTES;
        field += Integer.BYTES;                   // reserved, zero
        SWITCH_HEARTBEAT_OFFSET = field;          // long: incremented by the switch while the link lives (opaque)
        field += Long.BYTES;
        field = 256;                              // bytes 144..255 reserved, zero
        DESCRIPTOR_LENGTH = field;
        offset += DESCRIPTOR_LENGTH;

        DIRECTIONS_OFFSET = offset;               // 2 direction blocks of DIRECTION_LENGTH bytes
        field = 0;
        // Switch's words (bytes 0..127): the link manager and the PMD thread S.
        REQUEST_OFFSET = field;                   // long: 0 none, 1 go direct, 2 go back; only increases
        field += Long.BYTES;
        FENCE_OFFSET = field;                     // long: consumer's port rx position after the producer's
                                                  //   last packet through the switch; all ones until published
        field += Long.BYTES;
        CLOSED_OFFSET = field;                    // long: 1 once the ring is drained and abandoned
        field += Long.BYTES;
        CONSUMER_TAKEOVER_OFFSET = field;         // long: 1 once the switch consumes the ring (consumer VNF dead)
        field += Long.BYTES;
        field = 128;                              // bytes 32..127 reserved, zero
        // Producing VNF's words (bytes 128..255): the guest shim of A for direction 0.
        TX_ACK_OFFSET = field;                    // long: the last request carried out (0, 1 or 2)
        field += Long.BYTES;
        SWITCH_POSITION_OFFSET = field;           // long: its port tx producer position when it moved to the
                                                  //   ring; all ones until then; written before TX_ACK = 1
        field += Long.BYTES;
        field = 256;                              // bytes 144..255 reserved, zero
        // Consuming VNF's words (bytes 256..383): the guest shim of B for direction 0.
        RX_STATE_OFFSET = field;                  // long: 0 not reading the ring, 1 reading it, 2 detached
        field += Long.BYTES;
        field = 384;                              // bytes 264..383 reserved, zero
        DIRECTION_RESERVED_OFFSET = field;        // 128 bytes reserved for later control versions, zero
        field += 128;
        DIRECTION_LENGTH = field;
        offset += 2 * DIRECTION_LENGTH;

        RING0_OFFSET = offset;                    // ring 0 (A⇒B); ring 1 (B⇒A) follows
        if ((RING0_OFFSET & (RingLayout.BLOCK - 1)) != 0) {
            throw new AssertionError("link layout misaligned: ring 0 at " + RING0_OFFSET);
        }
    }

    private LinkRegionLayout() {
    }

    /** Offset of the protocol words of direction {@code direction} (0 or 1). */
    public static long directionOffset(int direction) {
        return DIRECTIONS_OFFSET + (long) direction * DIRECTION_LENGTH;
    }

    /** Offset of ring {@code direction} (0 or 1) for rings of {@code capacity} slots. */
    public static long ringOffset(int direction, int capacity) {
        return RING0_OFFSET + direction * RingLayout.length(capacity);
    }

    /** Bytes the layout needs for {@code directions} rings of {@code capacity} slots. */
    public static long length(int directions, int capacity) {
        return ringOffset(directions, capacity);
    }
}
