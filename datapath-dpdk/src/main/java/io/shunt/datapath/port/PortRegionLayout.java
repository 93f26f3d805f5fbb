package io.shunt.datapath.port;

import io.shunt.datapath.region.RegionHeaderLayout;
import io.shunt.datapath.ring.RingLayout;

/**
 * Byte layout of a port region, the ivshmem device of one {@code dpdkr} port (DESIGN.md
 * section 2): header, port descriptor, control block (link membership and liveness of both
 * sides, DESIGN.md section 4), then the rx ring (switch to VNF) and the tx ring (VNF to
 * switch). Offsets are from the region start; docs/shm-layout.md mirrors them.
 *
 * <p>The control block groups words by writer, each group on its own two cache lines:
 * the switch's (link state for observers, which link the port is part of, heartbeat), the
 * VNF's (heartbeat, pid, the control version its shim speaks), and 256 reserved bytes that
 * later protocol versions may use without moving anything ({@link #CONTROL_VERSION} says
 * which version of the words the switch speaks). The per-direction words of the direct-link
 * protocol itself (request, acknowledgement, switch position, fence, rx state, closed) are
 * in the link region ({@link LinkRegionLayout}), as docs/direct-link-protocol.md places them.
 */
public final class PortRegionLayout {
    /** Version of this layout, checked on attach. */
    public static final int VERSION = 1;
    /** Version of the control block protocol words. */
    public static final int CONTROL_VERSION = 1;
    /** Layout table names. */
    public static final String DESCRIPTOR_ENTRY = "port";
    public static final String CONTROL_ENTRY = "control";
    public static final String RX_RING_ENTRY = "rx";
    public static final String TX_RING_ENTRY = "tx";
    /** Longest pool name or link region name stored here. */
    public static final int NAME_LENGTH = 64;

    public static final int DESCRIPTOR_OFFSET;
    public static final int DESCRIPTOR_LENGTH;
    // Port descriptor, relative to DESCRIPTOR_OFFSET; written once by the switch.
    public static final int PORT_NUMBER_OFFSET;
    public static final int RING_CAPACITY_OFFSET;
    public static final int POOL_GENERATION_OFFSET;
    public static final int POOL_NAME_OFFSET;

    public static final int CONTROL_OFFSET;
    public static final int CONTROL_LENGTH;
    // Control block, relative to CONTROL_OFFSET. Switch's words:
    public static final int CONTROL_VERSION_OFFSET;
    public static final int LINK_STATE_OFFSET;
    public static final int LINK_GENERATION_OFFSET;
    public static final int SWITCH_HEARTBEAT_OFFSET;
    public static final int LINK_REGION_NAME_OFFSET;
    // VNF's words:
    public static final int VNF_HEARTBEAT_OFFSET;
    public static final int VNF_PID_OFFSET;
    public static final int VNF_CONTROL_VERSION_OFFSET;
    public static final int VNF_FEATURES_OFFSET;
    public static final int RESERVED_OFFSET;
    public static final int RESERVED_LENGTH;

    public static final int RX_RING_OFFSET;

    static {
        int offset = RegionHeaderLayout.HEADER_LENGTH;
        DESCRIPTOR_OFFSET = offset;                 // 128 bytes
        int field = 0;
        PORT_NUMBER_OFFSET = field;                 // int: the switch's port number (ofport)
        field += Integer.BYTES;
        RING_CAPACITY_OFFSET = field;               // int: capacity of both rings
        field += Integer.BYTES;
        POOL_GENERATION_OFFSET = field;             // long: generation of the pool the indices name
        field += Long.BYTES;
        field = 64;                                 // bytes 16..63 reserved, zero
        POOL_NAME_OFFSET = field;                   // 64 bytes: that pool's region name, UTF-8, NUL-padded
        field += NAME_LENGTH;
        DESCRIPTOR_LENGTH = field;
        offset += DESCRIPTOR_LENGTH;

        CONTROL_OFFSET = offset;                    // 512 bytes
        field = 0;
        // Switch's block (bytes 0..127): written by vswitchd only.
        CONTROL_VERSION_OFFSET = field;             // int: CONTROL_VERSION
        field += Integer.BYTES;
        LINK_STATE_OFFSET = field;                  // int: LinkState code of this port's link, for observers (release)
        field += Integer.BYTES;
        LINK_GENERATION_OFFSET = field;             // long: generation of the link this port is part of, 0 none
                                                    //   (release, after LINK_REGION_NAME)
        field += Long.BYTES;
        SWITCH_HEARTBEAT_OFFSET = field;            // long: incremented while the switch serves this port (opaque)
        field += Long.BYTES;
        field = 64;                                 // bytes 24..63 reserved, zero
        LINK_REGION_NAME_OFFSET = field;            // 64 bytes: region name of that link (the guest matches the
                                                    //   device's header), UTF-8, NUL-padded
        field += NAME_LENGTH;
        // VNF's block (bytes 128..255): written by the guest shim only.
        VNF_HEARTBEAT_OFFSET = field;               // long: incremented while the VNF polls (opaque)
        field += Long.BYTES;
        VNF_PID_OFFSET = field;                     // long: pid of the attached VNF process (0 in a VM)
        field += Long.BYTES;
        VNF_CONTROL_VERSION_OFFSET = field;         // int: control version the shim speaks, 0 none (release)
        field += Integer.BYTES;
        VNF_FEATURES_OFFSET = field;                // int: feature bits of the shim, 0 for now
        field += Integer.BYTES;
        field = 256;                                // bytes 152..255 reserved, zero
        RESERVED_OFFSET = field;                    // 256 bytes reserved for later control versions, zero
        RESERVED_LENGTH = 256;
        field += RESERVED_LENGTH;
        CONTROL_LENGTH = field;
        offset += CONTROL_LENGTH;

        RX_RING_OFFSET = offset;                    // rx ring (switch → VNF); the tx ring follows
        if ((RX_RING_OFFSET & (RingLayout.BLOCK - 1)) != 0) {
            throw new AssertionError("rx ring offset " + RX_RING_OFFSET + " is not 128-byte aligned");
        }
    }

    private PortRegionLayout() {
    }

    /** Offset of the tx ring (VNF → switch) for rings of {@code capacity} slots. */
    public static long txRingOffset(int capacity) {
        return RX_RING_OFFSET + RingLayout.length(capacity);
    }

    /** Bytes the port layout needs for rings of {@code capacity} slots (the region rounds up to a power of two). */
    public static long length(int capacity) {
        return txRingOffset(capacity) + RingLayout.length(capacity);
    }
}
