package io.shunt.datapath.flow;

/** Ethernet type values the parser and the packet edits know (IEEE 802 numbers, IANA registry). */
public final class EtherType {
    /** Smallest value that is an EtherType; below it the field is an 802.3 length (IEEE 802.3 clause 3.2.6). */
    public static final int MIN = 0x0600;
    /**
     * What an 802.3 frame without an Ethernet SNAP header is given as dl_type, as OVS does
     * (FLOW_DL_TYPE_NONE): a value below {@link #MIN} that no real EtherType can take.
     */
    public static final int NONE = 0x05ff;
    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    public static final int RARP = 0x8035;
    /** IEEE 802.1Q customer VLAN tag. */
    public static final int VLAN_8021Q = 0x8100;
    /** IEEE 802.1ad service VLAN tag (the outer tag of Q-in-Q). */
    public static final int VLAN_8021AD = 0x88a8;
    public static final int IPV6 = 0x86dd;
    public static final int MPLS_UNICAST = 0x8847;
    public static final int MPLS_MULTICAST = 0x8848;

    private EtherType() {
    }

    /** True for the two VLAN tag protocol identifiers the parser understands. */
    public static boolean isVlan(int type) {
        return type == VLAN_8021Q || type == VLAN_8021AD;
    }

    /** True for the two MPLS EtherTypes (RFC 3032 section 5). */
    public static boolean isMpls(int type) {
        return type == MPLS_UNICAST || type == MPLS_MULTICAST;
    }
}
