package io.shunt.datapath.action;

import static io.shunt.datapath.flow.NetworkOrder.U16;
import static io.shunt.datapath.flow.NetworkOrder.U32;

import io.shunt.datapath.flow.EtherType;

/** ARP field edits on Ethernet/IPv4 ARP (RFC 826), the only ARP the flow key describes. */
public final class ArpEdits {
    private static final int ARP_ETH_IPV4 = 28;
    private static final int OP = 6;
    private static final int SHA = 8;
    private static final int SPA = 14;
    private static final int THA = 18;
    private static final int TPA = 24;

    private ArpEdits() {
    }

    public static int setOp(Frame f, int op) {
        int l3 = arp(f);
        if (l3 < 0) {
            return -l3;
        }
        f.segment.set(U16, f.offset + l3 + OP, (short) op);
        return EditStatus.OK;
    }

    public static int setSenderHardware(Frame f, long mac) {
        int l3 = arp(f);
        if (l3 < 0) {
            return -l3;
        }
        EthernetEdits.writeMac(f, f.offset + l3 + SHA, mac);
        return EditStatus.OK;
    }

    public static int setTargetHardware(Frame f, long mac) {
        int l3 = arp(f);
        if (l3 < 0) {
            return -l3;
        }
        EthernetEdits.writeMac(f, f.offset + l3 + THA, mac);
        return EditStatus.OK;
    }

    public static int setSenderProtocol(Frame f, int address) {
        int l3 = arp(f);
        if (l3 < 0) {
            return -l3;
        }
        f.segment.set(U32, f.offset + l3 + SPA, address);
        return EditStatus.OK;
    }

    public static int setTargetProtocol(Frame f, int address) {
        int l3 = arp(f);
        if (l3 < 0) {
            return -l3;
        }
        f.segment.set(U32, f.offset + l3 + TPA, address);
        return EditStatus.OK;
    }

    private static int arp(Frame f) {
        int l3 = FrameHeaders.l3Offset(f);
        if (l3 < 0) {
            return -EditStatus.TRUNCATED;
        }
        int type = FrameHeaders.etherType(f, l3);
        if (type != EtherType.ARP && type != EtherType.RARP) {
            return -EditStatus.NOT_APPLICABLE;
        }
        long p = f.offset + l3;
        if (f.length - l3 < ARP_ETH_IPV4) {
            return -EditStatus.TRUNCATED;
        }
        if ((f.segment.get(U32, p) & 0xffffffffL) != 0x00010800L || (f.segment.get(U16, p + 4) & 0xffff) != 0x0604) {
            return -EditStatus.NOT_APPLICABLE;
        }
        return l3;
    }
}
