package io.shunt.datapath.port;

import io.shunt.datapath.region.RegionHeaderLayout;
import io.shunt.datapath.ring.RingLayout;

/**
 * Byte layout of a link region, the ivshmem device of one direct link (DESIGN.md sections 2
 * and 4): header, link control block, then one SPSC ring per direction (ring 0 carries
 * A⇒B; ring 1, present for a point-to-point pair, carries B⇒A). docs/shm-layout.md
 * mirrors it. The per-VNF protocol words are in each port's control block; the words here
 * concern the link itself.
 */
public final class LinkRegionLayout {
    /** Version of this layout, checked on attach. */
    public static final int VERSION = 1;
    /** Version of the link control words. */
    public static final int CONTROL_VERSION = 1;
    /** Layout table names. */
    public static final String CONTROL_ENTRY = "control";
    public static final String RING0_ENTRY = "ring0";
    public static final String RING1_ENTRY = "ring1";

    public static final int CONTROL_OFFSET;
    public static final int CONTROL_LENGTH;
    // Relative to CONTROL_OFFSET; descriptor words written once by the switch:
    public static final int CONTROL_VERSION_OFFSET;
    public static final int DIRECTION_COUNT_OFFSET;
    public static final int RING_CAPACITY_OFFSET;
    public static final int LINK_GENERATION_OFFSET;
    public static final int PORT_A_OFFSET;
    public static final int PORT_B_OFFSET;
    public static final int POOL_GENERATION_OFFSET;
    // Switch's live words:
    public static final int LINK_STATE_OFFSET;
    public static final int SWITCH_HEARTBEAT_OFFSET;
    public static final int CONSUMER_TAKEOVER_OFFSET;
    public static final int RESERVED_OFFSET;
    public static final int RESERVED_LENGTH;
    public static final int POOL_NAME_OFFSET;
    public static final int POOL_NAME_LENGTH = 64;

    public static final int RING0_OFFSET;

    static {
        int offset = RegionHeaderLayout.HEADER_LENGTH;
        CONTROL_OFFSET = offset;                  // 512 bytes
        int field = 0;
        CONTROL_VERSION_OFFSET = field;           // int: CONTROL_VERSION
        field += Integer.BYTES;
        DIRECTION_COUNT_OFFSET = field;           // int: 1 (A⇒B only) or 2 (pair: ring 1 carries B⇒A)
        field += Integer.BYTES;
        RING_CAPACITY_OFFSET = field;             // int: capacity of each ring
        field += Integer.BYTES;
        field += Integer.BYTES;                   // reserved, zero
        LINK_GENERATION_OFFSET = field;           // long: link generation G (matches the port control blocks)
        field += Long.BYTES;
        PORT_A_OFFSET = field;                    // int: switch port number of A (producer of ring 0)
        field += Integer.BYTES;
        PORT_B_OFFSET = field;                    // int: switch port number of B (consumer of ring 0)
        field += Integer.BYTES;
        POOL_GENERATION_OFFSET = field;           // long: generation of the pool the indices name
        field += Long.BYTES;
        field = 128;                              // bytes 40..127 reserved, zero
        LINK_STATE_OFFSET = field;                // int: LinkState code (observers)
        field += Integer.BYTES;
        field += Integer.BYTES;                   // reserved, zero
        SWITCH_HEARTBEAT_OFFSET = field;          // long: incremented by the switch while the link lives
        field += Long.BYTES;
        CONSUMER_TAKEOVER_OFFSET = field;         // 2 longs: = G once the switch consumes ring i (its VNF is dead)
        field += 2 * Long.BYTES;
        field = 256;                              // bytes 160..255 reserved, zero
        RESERVED_OFFSET = field;                  // 192 bytes reserved for later control versions, zero
        RESERVED_LENGTH = 192;
        field += RESERVED_LENGTH;
        POOL_NAME_OFFSET = field;                 // 64 bytes: pool region name, UTF-8, NUL-padded
        field += POOL_NAME_LENGTH;
        CONTROL_LENGTH = field;
        offset += CONTROL_LENGTH;
        RING0_OFFSET = offset;                    // ring 0 (A⇒B); ring 1 (B⇒A) follows
        if ((RING0_OFFSET & (RingLayout.BLOCK - 1)) != 0 || CONTROL_LENGTH != 512) {
            throw new AssertionError("link layout misaligned: ring 0 at " + RING0_OFFSET);
        }
    }

    private LinkRegionLayout() {
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
