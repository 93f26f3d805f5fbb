package io.shunt.datapath.action;

import static io.shunt.datapath.flow.NetworkOrder.U16;
import static io.shunt.datapath.flow.NetworkOrder.U32;

/** Ethernet address edits. A MAC is the low 48 bits of a long, most significant byte first on the wire. */
public final class EthernetEdits {
    private EthernetEdits() {
    }

    public static int setDestination(Frame f, long mac) {
        return setMac(f, 0, mac);
    }

    public static int setSource(Frame f, long mac) {
        return setMac(f, 6, mac);
    }

    private static int setMac(Frame f, int field, long mac) {
        if (f.length < FrameHeaders.ETH_HEADER) {
            return EditStatus.TRUNCATED;
        }
        writeMac(f, f.offset + field, mac);
        return EditStatus.OK;
    }

    static void writeMac(Frame f, long at, long mac) {
        f.segment.set(U32, at, (int) (mac >>> 16));
        f.segment.set(U16, at + 4, (short) mac);
    }
}
