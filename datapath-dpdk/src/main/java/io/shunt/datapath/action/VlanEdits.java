package io.shunt.datapath.action;

import static io.shunt.datapath.flow.NetworkOrder.U16;

import io.shunt.datapath.flow.EtherType;
import java.lang.foreign.MemorySegment;

/**
 * IEEE 802.1Q / 802.1ad tag edits on the outermost tag. Push and pop move the two MAC
 * addresses by 4 bytes (into the headroom, or forward) instead of the whole payload:
 * the frame start moves, the L3 header stays where it is.
 */
public final class VlanEdits {
    private VlanEdits() {
    }

    /**
     * Pushes a new outermost tag {@code tpid} ({@link EtherType#VLAN_8021Q} or
     * {@link EtherType#VLAN_8021AD}) with {@code tci} (PCP 3 | DEI 1 | VID 12).
     */
    public static int push(Frame f, int tpid, int tci) {
        if (!EtherType.isVlan(tpid)) {
            return EditStatus.NOT_APPLICABLE;
        }
        if (f.length < FrameHeaders.ETH_HEADER) {
            return EditStatus.TRUNCATED;
        }
        if (f.offset - FrameHeaders.VLAN_TAG < f.bufferStart) {
            return EditStatus.NO_HEADROOM;
        }
        MemorySegment s = f.segment;
        long start = f.offset - FrameHeaders.VLAN_TAG;
        FrameHeaders.moveHeader(s, f.offset, start, FrameHeaders.ETH_MACS);
        s.set(U16, start + FrameHeaders.ETH_MACS, (short) tpid);
        s.set(U16, start + FrameHeaders.ETH_MACS + 2, (short) tci);
        f.offset = start;
        f.length += FrameHeaders.VLAN_TAG;
        return EditStatus.OK;
    }

    /** Removes the outermost tag; {@link EditStatus#NOT_APPLICABLE} if the frame is untagged. */
    public static int pop(Frame f) {
        int status = outerTag(f);
        if (status != EditStatus.OK) {
            return status;
        }
        MemorySegment s = f.segment;
        long start = f.offset + FrameHeaders.VLAN_TAG;
        FrameHeaders.moveHeader(s, f.offset, start, FrameHeaders.ETH_MACS);
        f.offset = start;
        f.length -= FrameHeaders.VLAN_TAG;
        return EditStatus.OK;
    }

    /** Sets the 12-bit VID of the outermost tag. */
    public static int setVid(Frame f, int vid) {
        return setTciBits(f, 0x0fff, vid & 0x0fff);
    }

    /** Sets the 3-bit priority code point of the outermost tag. */
    public static int setPcp(Frame f, int pcp) {
        return setTciBits(f, 0xe000, (pcp & 0x7) << 13);
    }

    private static int setTciBits(Frame f, int fieldMask, int bits) {
        int status = outerTag(f);
        if (status != EditStatus.OK) {
            return status;
        }
        long at = f.offset + FrameHeaders.ETH_MACS + 2;
        int tci = f.segment.get(U16, at) & 0xffff;
        f.segment.set(U16, at, (short) ((tci & ~fieldMask) | bits));
        return EditStatus.OK;
    }

    private static int outerTag(Frame f) {
        if (f.length < FrameHeaders.ETH_HEADER) {
            return EditStatus.TRUNCATED;
        }
        if (!EtherType.isVlan(f.segment.get(U16, f.offset + FrameHeaders.ETH_MACS) & 0xffff)) {
            return EditStatus.NOT_APPLICABLE;
        }
        // the tag and the EtherType after it must both be inside the frame
        if (f.length < FrameHeaders.ETH_HEADER + FrameHeaders.VLAN_TAG) {
            return EditStatus.TRUNCATED;
        }
        return EditStatus.OK;
    }
}
