package io.shunt.ofproto.flow;

import io.shunt.ofproto.classifier.KeyField;
import java.util.EnumMap;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.match.MatchFields;

/**
 * The OpenFlow 1.3 OXM match fields this switch supports (every one Loxi
 * knows for OF1.3: PBB_ISID is absent from Loxi), with where each lives in
 * the classifier key, whether it may be masked and its prerequisite
 * (OF1.3 section 7.2.3.7, table 12).
 */
enum OxmField {
    IN_PORT(MatchFields.IN_PORT, KeyField.IN_PORT, false, Prerequisite.NONE, false),
    IN_PHY_PORT(MatchFields.IN_PHY_PORT, KeyField.IN_PHY_PORT, false, Prerequisite.IN_PORT, false),
    METADATA(MatchFields.METADATA, KeyField.METADATA, true, Prerequisite.NONE, false),
    ETH_DST(MatchFields.ETH_DST, KeyField.ETH_DST, true, Prerequisite.NONE, true),
    ETH_SRC(MatchFields.ETH_SRC, KeyField.ETH_SRC, true, Prerequisite.NONE, true),
    ETH_TYPE(MatchFields.ETH_TYPE, KeyField.ETH_TYPE, false, Prerequisite.NONE, false),
    VLAN_VID(MatchFields.VLAN_VID, KeyField.VLAN_VID, true, Prerequisite.NONE, true),
    VLAN_PCP(MatchFields.VLAN_PCP, KeyField.VLAN_PCP, false, Prerequisite.VLAN_TAGGED, true),
    IP_DSCP(MatchFields.IP_DSCP, KeyField.IP_DSCP, false, Prerequisite.ETH_IP, true),
    IP_ECN(MatchFields.IP_ECN, KeyField.IP_ECN, false, Prerequisite.ETH_IP, true),
    IP_PROTO(MatchFields.IP_PROTO, KeyField.IP_PROTO, false, Prerequisite.ETH_IP, false),
    IPV4_SRC(MatchFields.IPV4_SRC, KeyField.NW_SRC, true, Prerequisite.ETH_IPV4, true),
    IPV4_DST(MatchFields.IPV4_DST, KeyField.NW_DST, true, Prerequisite.ETH_IPV4, true),
    TCP_SRC(MatchFields.TCP_SRC, KeyField.TP_SRC, false, Prerequisite.PROTO_TCP, true),
    TCP_DST(MatchFields.TCP_DST, KeyField.TP_DST, false, Prerequisite.PROTO_TCP, true),
    UDP_SRC(MatchFields.UDP_SRC, KeyField.TP_SRC, false, Prerequisite.PROTO_UDP, true),
    UDP_DST(MatchFields.UDP_DST, KeyField.TP_DST, false, Prerequisite.PROTO_UDP, true),
    SCTP_SRC(MatchFields.SCTP_SRC, KeyField.TP_SRC, false, Prerequisite.PROTO_SCTP, true),
    SCTP_DST(MatchFields.SCTP_DST, KeyField.TP_DST, false, Prerequisite.PROTO_SCTP, true),
    ICMPV4_TYPE(MatchFields.ICMPV4_TYPE, KeyField.TP_SRC, false, Prerequisite.PROTO_ICMP, true),
    ICMPV4_CODE(MatchFields.ICMPV4_CODE, KeyField.TP_DST, false, Prerequisite.PROTO_ICMP, true),
    ARP_OP(MatchFields.ARP_OP, KeyField.ARP_OP, false, Prerequisite.ETH_ARP, true),
    ARP_SPA(MatchFields.ARP_SPA, KeyField.NW_SRC, true, Prerequisite.ETH_ARP, true),
    ARP_TPA(MatchFields.ARP_TPA, KeyField.NW_DST, true, Prerequisite.ETH_ARP, true),
    ARP_SHA(MatchFields.ARP_SHA, KeyField.ARP_SHA, true, Prerequisite.ETH_ARP, true),
    ARP_THA(MatchFields.ARP_THA, KeyField.ARP_THA, true, Prerequisite.ETH_ARP, true),
    IPV6_SRC(MatchFields.IPV6_SRC, KeyField.IPV6_SRC_HI, true, Prerequisite.ETH_IPV6, true),
    IPV6_DST(MatchFields.IPV6_DST, KeyField.IPV6_DST_HI, true, Prerequisite.ETH_IPV6, true),
    IPV6_FLABEL(MatchFields.IPV6_FLABEL, KeyField.IPV6_FLABEL, true, Prerequisite.ETH_IPV6, true),
    ICMPV6_TYPE(MatchFields.ICMPV6_TYPE, KeyField.TP_SRC, false, Prerequisite.PROTO_ICMPV6, true),
    ICMPV6_CODE(MatchFields.ICMPV6_CODE, KeyField.TP_DST, false, Prerequisite.PROTO_ICMPV6, true),
    IPV6_ND_TARGET(MatchFields.IPV6_ND_TARGET, KeyField.ND_TARGET_HI, false, Prerequisite.ND, true),
    IPV6_ND_SLL(MatchFields.IPV6_ND_SLL, KeyField.ARP_SHA, false, Prerequisite.ND_SOLICIT, true),
    IPV6_ND_TLL(MatchFields.IPV6_ND_TLL, KeyField.ARP_THA, false, Prerequisite.ND_ADVERT, true),
    MPLS_LABEL(MatchFields.MPLS_LABEL, KeyField.MPLS_LABEL, false, Prerequisite.ETH_MPLS, true),
    MPLS_TC(MatchFields.MPLS_TC, KeyField.MPLS_TC, false, Prerequisite.ETH_MPLS, true),
    MPLS_BOS(MatchFields.MPLS_BOS, KeyField.MPLS_BOS, false, Prerequisite.ETH_MPLS, false),
    TUNNEL_ID(MatchFields.TUNNEL_ID, KeyField.TUNNEL_ID, true, Prerequisite.NONE, true),
    IPV6_EXTHDR(MatchFields.IPV6_EXTHDR, KeyField.IPV6_EXTHDR, true, Prerequisite.ETH_IPV6, false);

    /** Prerequisites of OF1.3 table 12, as a predicate over the exact values already in the match. */
    enum Prerequisite {
        NONE, IN_PORT, VLAN_TAGGED, ETH_IP, ETH_IPV4, ETH_IPV6, ETH_ARP, ETH_MPLS,
        PROTO_TCP, PROTO_UDP, PROTO_SCTP, PROTO_ICMP, PROTO_ICMPV6, ND, ND_SOLICIT, ND_ADVERT
    }

    final MatchFields loxi;
    /** The key field; for 128-bit fields the high half, the low half is the next constant. */
    final KeyField key;
    final boolean maskable;
    final Prerequisite prerequisite;
    /** May be written with set-field (OF1.3 section 7.2.5 leaves this to the switch; as OVS). */
    final boolean settable;

    OxmField(MatchFields loxi, KeyField key, boolean maskable, Prerequisite prerequisite, boolean settable) {
        this.loxi = loxi;
        this.key = key;
        this.maskable = maskable;
        this.prerequisite = prerequisite;
        this.settable = settable;
    }

    boolean is128() {
        return key == KeyField.IPV6_SRC_HI || key == KeyField.IPV6_DST_HI || key == KeyField.ND_TARGET_HI;
    }

    KeyField lowHalf() {
        return KeyField.values()[key.ordinal() + 1];
    }

    private static final Map<MatchFields, OxmField> BY_LOXI = new EnumMap<>(MatchFields.class);

    static {
        for (OxmField f : values()) BY_LOXI.put(f.loxi, f);
    }

    /** The supported field for a Loxi field id, or null. */
    static OxmField of(MatchFields id) {
        return BY_LOXI.get(id);
    }
}
