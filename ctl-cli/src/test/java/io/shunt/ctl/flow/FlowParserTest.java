package io.shunt.ctl.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.ICMPv4Code;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.IPv6FlowLabel;
import org.projectfloodlight.openflow.types.IpDscp;
import org.projectfloodlight.openflow.types.IpEcn;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBooleanValue;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U16;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.U8;
import org.projectfloodlight.openflow.types.VlanPcp;

/**
 * The flow grammar of ovs-ofctl(8), ovs-fields(7) and ovs-actions(7), one
 * line each, against the OpenFlow 1.3 FLOW_MOD that Loxi builds for it by
 * hand. The expectations follow the specifications and what
 * {@code ovs-ofctl -O OpenFlow13} sends (e.g. mod_vlan_vid pushes a VLAN
 * header when the match does not guarantee one; tcp_flags uses Open vSwitch's
 * OpenFlow 1.3 experimenter field).
 */
class FlowParserTest {

    private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

    private static Match.Builder m() {
        return F.buildMatch();
    }

    private static List<OFInstruction> apply(OFAction... actions) {
        return List.of(F.instructions().applyActions(List.of(actions)));
    }

    private static OFAction out(int port) {
        return F.actions().output(OFPort.of(port), 0);
    }

    private static OFFlowMod.Builder add(Match match, int priority, List<OFInstruction> instructions) {
        return F.buildFlowAdd().setXid(0).setMatch(match).setPriority(priority).setInstructions(instructions)
                .setTableId(TableId.of(0)).setBufferId(OFBufferId.NO_BUFFER).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY)
                .setCookie(U64.ZERO).setCookieMask(U64.ZERO).setFlags(Set.of());
    }

    private static Match ip(Match.Builder b) {
        return b.setExact(MatchField.ETH_TYPE, EthType.IPv4).build();
    }

    static Stream<Arguments> additions() {
        var a = F.actions();
        var o = F.oxms();
        return Stream.of(
                Arguments.of("table=0,priority=10,in_port=1,actions=output:2",
                        add(m().setExact(MatchField.IN_PORT, OFPort.of(1)).build(), 10, apply(out(2))).build()),
                Arguments.of("in_port=1 actions=2",
                        add(m().setExact(MatchField.IN_PORT, OFPort.of(1)).build(), 0x8000, apply(out(2))).build()),
                Arguments.of("priority=5,actions=drop", add(m().build(), 5, List.of()).build()),
                Arguments.of("table=3,cookie=0x1f,idle_timeout=60,hard_timeout=300,send_flow_rem,check_overlap,reset_counts,actions=normal",
                        add(m().build(), 0x8000, apply(F.actions().output(OFPort.NORMAL, 0))).setTableId(TableId.of(3))
                                .setCookie(U64.of(0x1f)).setIdleTimeout(60).setHardTimeout(300)
                                .setFlags(Set.of(OFFlowModFlags.SEND_FLOW_REM, OFFlowModFlags.CHECK_OVERLAP,
                                        OFFlowModFlags.RESET_COUNTS)).build()),
                Arguments.of("dl_src=00:11:22:33:44:55,eth_dst=01:00:00:00:00:00/01:00:00:00:00:00,dl_type=0x88cc,actions=controller",
                        add(m().setExact(MatchField.ETH_SRC, MacAddress.of("00:11:22:33:44:55"))
                                .setMasked(MatchField.ETH_DST, MacAddress.of("01:00:00:00:00:00"), MacAddress.of("01:00:00:00:00:00"))
                                .setExact(MatchField.ETH_TYPE, EthType.of(0x88cc)).build(), 0x8000,
                                apply(a.output(OFPort.CONTROLLER, 0xffff))).build()),
                Arguments.of("dl_vlan=5,dl_vlan_pcp=3,actions=strip_vlan,output:1",
                        add(m().setExact(MatchField.VLAN_VID, OFVlanVidMatch.ofVlan(5))
                                .setExact(MatchField.VLAN_PCP, VlanPcp.of((byte) 3)).build(), 0x8000,
                                apply(a.popVlan(), out(1))).build()),
                Arguments.of("dl_vlan_pcp=7,actions=output:1",
                        add(m().setMasked(MatchField.VLAN_VID, OFVlanVidMatch.PRESENT, OFVlanVidMatch.PRESENT)
                                .setExact(MatchField.VLAN_PCP, VlanPcp.of((byte) 7)).build(), 0x8000, apply(out(1))).build()),
                Arguments.of("dl_vlan=0xffff,actions=mod_vlan_vid:7,output:1",
                        add(m().setExact(MatchField.VLAN_VID, OFVlanVidMatch.NONE).build(), 0x8000,
                                apply(a.pushVlan(EthType.VLAN_FRAME), a.setField(o.vlanVid(OFVlanVidMatch.ofVlan(7))), out(1))).build()),
                Arguments.of("vlan_tci=0x1000/0x1000,actions=mod_vlan_vid:6,mod_vlan_pcp:2",
                        add(m().setMasked(MatchField.VLAN_VID, OFVlanVidMatch.PRESENT, OFVlanVidMatch.PRESENT).build(), 0x8000,
                                apply(a.setField(o.vlanVid(OFVlanVidMatch.ofVlan(6))), a.setField(o.vlanPcp(VlanPcp.of((byte) 2)))))
                                .build()),
                Arguments.of("vlan_vid=0x1005,actions=push_vlan:0x88a8,pop_vlan",
                        add(m().setExact(MatchField.VLAN_VID, OFVlanVidMatch.ofVlan(5)).build(), 0x8000,
                                apply(a.pushVlan(EthType.of(0x88a8)), a.popVlan())).build()),
                Arguments.of("ip,nw_src=10.0.0.0/8,nw_dst=192.168.1.1,actions=mod_nw_src:1.2.3.4,mod_nw_dst:5.6.7.8",
                        add(ip(m().setMasked(MatchField.IPV4_SRC, IPv4Address.of("10.0.0.0"), IPv4Address.of("255.0.0.0"))
                                .setExact(MatchField.IPV4_DST, IPv4Address.of("192.168.1.1"))), 0x8000,
                                apply(a.setField(o.ipv4Src(IPv4Address.of("1.2.3.4"))), a.setField(o.ipv4Dst(IPv4Address.of("5.6.7.8")))))
                                .build()),
                Arguments.of("ip,ip_src=10.1.2.3/255.255.0.0,actions=drop",
                        add(ip(m().setMasked(MatchField.IPV4_SRC, IPv4Address.of("10.1.0.0"), IPv4Address.of("255.255.0.0"))),
                                0x8000, List.of()).build()),
                Arguments.of("ip,nw_proto=50,nw_tos=40,nw_ecn=2,actions=mod_nw_tos:8,mod_nw_ecn:1,mod_nw_ttl:9,dec_ttl",
                        add(ip(m().setExact(MatchField.IP_PROTO, IpProtocol.of((short) 50))
                                .setExact(MatchField.IP_DSCP, IpDscp.of((byte) 10)).setExact(MatchField.IP_ECN, IpEcn.of((byte) 2))),
                                0x8000, apply(a.setField(o.ipDscp(IpDscp.of((byte) 2))), a.setField(o.ipEcn(IpEcn.of((byte) 1))),
                                        a.setNwTtl((short) 9), a.decNwTtl())).build()),
                Arguments.of("ip,ip_dscp=46,actions=drop",
                        add(ip(m().setExact(MatchField.IP_DSCP, IpDscp.of((byte) 46))), 0x8000, List.of()).build()),
                Arguments.of("tcp,tp_src=1000,tp_dst=80,actions=mod_tp_src:2000,mod_tp_dst:8080",
                        add(ip(m().setExact(MatchField.IP_PROTO, IpProtocol.TCP)
                                .setExact(MatchField.TCP_SRC, TransportPort.of(1000)).setExact(MatchField.TCP_DST, TransportPort.of(80))),
                                0x8000, apply(a.setField(o.tcpSrc(TransportPort.of(2000))), a.setField(o.tcpDst(TransportPort.of(8080)))))
                                .build()),
                Arguments.of("tp_dst=80,tcp,actions=drop",
                        add(ip(m().setExact(MatchField.IP_PROTO, IpProtocol.TCP).setExact(MatchField.TCP_DST, TransportPort.of(80))),
                                0x8000, List.of()).build()),
                Arguments.of("udp,udp_src=67,udp_dst=68,actions=mod_tp_dst:69",
                        add(ip(m().setExact(MatchField.IP_PROTO, IpProtocol.UDP)
                                .setExact(MatchField.UDP_SRC, TransportPort.of(67)).setExact(MatchField.UDP_DST, TransportPort.of(68))),
                                0x8000, apply(a.setField(o.udpDst(TransportPort.of(69))))).build()),
                Arguments.of("sctp,sctp_src=5,tp_dst=0x1000/0xf000,actions=set_field:7->sctp_dst",
                        add(ip(m().setExact(MatchField.IP_PROTO, IpProtocol.SCTP).setExact(MatchField.SCTP_SRC, TransportPort.of(5))
                                .setMasked(MatchField.SCTP_DST, TransportPort.of(0x1000), TransportPort.of(0xf000))),
                                0x8000, apply(a.setField(o.sctpDst(TransportPort.of(7))))).build()),
                Arguments.of("tcp6,tcp_flags=+syn-ack,actions=drop",
                        add(m().setExact(MatchField.ETH_TYPE, EthType.IPv6).setExact(MatchField.IP_PROTO, IpProtocol.TCP)
                                .setMasked(MatchField.OVS_TCP_FLAGS, U16.of(0x002), U16.of(0x012)).build(), 0x8000, List.of()).build()),
                Arguments.of("tcp,tcp_flags=syn|ack,actions=drop",
                        add(ip(m().setExact(MatchField.IP_PROTO, IpProtocol.TCP).setExact(MatchField.OVS_TCP_FLAGS, U16.of(0x012))),
                                0x8000, List.of()).build()),
                Arguments.of("icmp,icmp_type=8,icmp_code=0,actions=controller:128",
                        add(ip(m().setExact(MatchField.IP_PROTO, IpProtocol.ICMP)
                                .setExact(MatchField.ICMPV4_TYPE, ICMPv4Type.of((short) 8))
                                .setExact(MatchField.ICMPV4_CODE, ICMPv4Code.of((short) 0))), 0x8000,
                                apply(a.output(OFPort.CONTROLLER, 128))).build()),
                Arguments.of("icmp6,icmpv6_type=135,nd_target=2001:db8::1,nd_sll=02:00:00:00:00:01,actions=controller(max_len=100)",
                        add(m().setExact(MatchField.ETH_TYPE, EthType.IPv6).setExact(MatchField.IP_PROTO, IpProtocol.IPv6_ICMP)
                                .setExact(MatchField.ICMPV6_TYPE, U8.of((short) 135))
                                .setExact(MatchField.IPV6_ND_TARGET, IPv6Address.of("2001:db8::1"))
                                .setExact(MatchField.IPV6_ND_SLL, MacAddress.of("02:00:00:00:00:01")).build(), 0x8000,
                                apply(a.output(OFPort.CONTROLLER, 100))).build()),
                Arguments.of("icmp6,icmp_type=136,icmp_code=0,nd_tll=02:00:00:00:00:02,actions=drop",
                        add(m().setExact(MatchField.ETH_TYPE, EthType.IPv6).setExact(MatchField.IP_PROTO, IpProtocol.IPv6_ICMP)
                                .setExact(MatchField.ICMPV6_TYPE, U8.of((short) 136)).setExact(MatchField.ICMPV6_CODE, U8.of((short) 0))
                                .setExact(MatchField.IPV6_ND_TLL, MacAddress.of("02:00:00:00:00:02")).build(), 0x8000, List.of()).build()),
                Arguments.of("ipv6,ipv6_src=2001:db8::/32,ipv6_dst=::1,ipv6_label=0x12345,actions=set_field:2001:db8::2->ipv6_dst",
                        add(m().setExact(MatchField.ETH_TYPE, EthType.IPv6)
                                .setMasked(MatchField.IPV6_SRC, IPv6Address.of("2001:db8::"), IPv6Address.ofCidrMaskLength(32))
                                .setExact(MatchField.IPV6_DST, IPv6Address.of("::1"))
                                .setExact(MatchField.IPV6_FLABEL, IPv6FlowLabel.of(0x12345)).build(), 0x8000,
                                apply(a.setField(o.ipv6Dst(IPv6Address.of("2001:db8::2"))))).build()),
                Arguments.of("arp,arp_op=1,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,arp_sha=02:00:00:00:00:01,arp_tha=00:00:00:00:00:00,actions=flood",
                        add(m().setExact(MatchField.ETH_TYPE, EthType.ARP).setExact(MatchField.ARP_OP, ArpOpcode.REQUEST)
                                .setExact(MatchField.ARP_SPA, IPv4Address.of("10.0.0.1"))
                                .setMasked(MatchField.ARP_TPA, IPv4Address.of("10.0.0.0"), IPv4Address.of("255.255.255.0"))
                                .setExact(MatchField.ARP_SHA, MacAddress.of("02:00:00:00:00:01"))
                                .setExact(MatchField.ARP_THA, MacAddress.of("00:00:00:00:00:00")).build(), 0x8000,
                                apply(a.output(OFPort.FLOOD, 0))).build()),
                Arguments.of("arp,nw_src=10.0.0.1,nw_proto=2,actions=all",
                        add(m().setExact(MatchField.ETH_TYPE, EthType.ARP).setExact(MatchField.ARP_SPA, IPv4Address.of("10.0.0.1"))
                                .setExact(MatchField.ARP_OP, ArpOpcode.REPLY).build(), 0x8000, apply(a.output(OFPort.ALL, 0))).build()),
                Arguments.of("rarp,actions=in_port",
                        add(m().setExact(MatchField.ETH_TYPE, EthType.of(0x8035)).build(), 0x8000,
                                apply(a.output(OFPort.IN_PORT, 0))).build()),
                Arguments.of("mpls,mpls_label=16,mpls_tc=5,mpls_bos=1,actions=set_mpls_label:17,set_mpls_tc:2,set_mpls_ttl:9,dec_mpls_ttl,pop_mpls:0x0800",
                        add(m().setExact(MatchField.ETH_TYPE, EthType.MPLS_UNICAST).setExact(MatchField.MPLS_LABEL, U32.of(16))
                                .setExact(MatchField.MPLS_TC, U8.of((short) 5)).setExact(MatchField.MPLS_BOS, OFBooleanValue.TRUE).build(),
                                0x8000, apply(a.setField(o.mplsLabel(U32.of(17))), a.setField(o.mplsTc(U8.of((short) 2))),
                                        a.setMplsTtl((short) 9), a.decMplsTtl(), a.popMpls(EthType.IPv4))).build()),
                Arguments.of("in_port=LOCAL,actions=push_mpls:0x8847,output:1",
                        add(m().setExact(MatchField.IN_PORT, OFPort.LOCAL).build(), 0x8000,
                                apply(a.pushMpls(EthType.MPLS_UNICAST), out(1))).build()),
                Arguments.of("tun_id=0x10/0xff,metadata=0x5,actions=set_field:0x7->tun_id,write_metadata:0x1/0x3,goto_table:2",
                        add(m().setMasked(MatchField.TUNNEL_ID, U64.of(0x10), U64.of(0xff))
                                .setExact(MatchField.METADATA, OFMetadata.ofRaw(5)).build(), 0x8000,
                                List.of(F.instructions().applyActions(List.of(a.setField(o.tunnelId(U64.of(7))))),
                                        F.instructions().writeMetadata(U64.of(1), U64.of(3)),
                                        F.instructions().gotoTable(TableId.of(2)))).build()),
                Arguments.of("metadata=0x5/0xff,actions=meter:3,output:1,clear_actions,write_actions(group:4,set_queue:2,output:3),goto_table:9",
                        add(m().setMasked(MatchField.METADATA, OFMetadata.ofRaw(5), OFMetadata.ofRaw(0xff)).build(), 0x8000,
                                List.of(F.instructions().buildMeter().setMeterId(3).build(),
                                        F.instructions().applyActions(List.of(out(1))),
                                        F.instructions().clearActions(),
                                        F.instructions().writeActions(List.of(a.group(OFGroup.of(4)), a.setQueue(2), out(3))),
                                        F.instructions().gotoTable(TableId.of(9)))).build()),
                Arguments.of("actions=mod_dl_src:02:00:00:00:00:01,mod_dl_dst:02:00:00:00:00:02,set_field:00:00:00:00:00:03->eth_src,local",
                        add(m().build(), 0x8000, apply(a.setField(o.ethSrc(MacAddress.of("02:00:00:00:00:01"))),
                                a.setField(o.ethDst(MacAddress.of("02:00:00:00:00:02"))),
                                a.setField(o.ethSrc(MacAddress.of("00:00:00:00:00:03"))), a.output(OFPort.LOCAL, 0))).build()),
                Arguments.of("cookie=0x5, duration=12.345s, table=0, n_packets=7, n_bytes=420, priority=10,in_port=2 actions=output:1",
                        add(m().setExact(MatchField.IN_PORT, OFPort.of(2)).build(), 10, apply(out(1))).setCookie(U64.of(5)).build()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("additions")
    void addFlowBuildsTheSameFlowModAsLoxiByHand(String text, OFFlowMod expected) throws Exception {
        assertEquals(expected, new FlowParser(F).parse(text, FlowCommand.ADD).toFlowMod(F));
    }

    static Stream<Arguments> otherCommands() {
        Match inPort1 = m().setExact(MatchField.IN_PORT, OFPort.of(1)).build();
        return Stream.of(
                Arguments.of("in_port=1,actions=output:3", FlowCommand.MODIFY,
                        F.buildFlowModify().setXid(0).setMatch(inPort1).setPriority(0x8000).setTableId(TableId.of(0))
                                .setInstructions(apply(out(3))).setBufferId(OFBufferId.NO_BUFFER).setOutPort(OFPort.ANY)
                                .setOutGroup(OFGroup.ANY).setCookie(U64.ZERO).setCookieMask(U64.ZERO).setFlags(Set.of()).build()),
                Arguments.of("priority=7,in_port=1,cookie=0x10/0xff,actions=drop", FlowCommand.MODIFY_STRICT,
                        F.buildFlowModifyStrict().setXid(0).setMatch(inPort1).setPriority(7).setTableId(TableId.of(0))
                                .setInstructions(List.of()).setBufferId(OFBufferId.NO_BUFFER).setOutPort(OFPort.ANY)
                                .setOutGroup(OFGroup.ANY).setCookie(U64.of(0x10)).setCookieMask(U64.of(0xff)).setFlags(Set.of()).build()),
                Arguments.of("", FlowCommand.DELETE,
                        F.buildFlowDelete().setXid(0).setMatch(m().build()).setPriority(0x8000).setTableId(TableId.ALL)
                                .setInstructions(List.of()).setBufferId(OFBufferId.NO_BUFFER).setOutPort(OFPort.ANY)
                                .setOutGroup(OFGroup.ANY).setCookie(U64.ZERO).setCookieMask(U64.ZERO).setFlags(Set.of()).build()),
                Arguments.of("table=2,in_port=1,out_port=3,out_group=4,cookie=0x1/-1", FlowCommand.DELETE,
                        F.buildFlowDelete().setXid(0).setMatch(inPort1).setPriority(0x8000).setTableId(TableId.of(2))
                                .setInstructions(List.of()).setBufferId(OFBufferId.NO_BUFFER).setOutPort(OFPort.of(3))
                                .setOutGroup(OFGroup.of(4)).setCookie(U64.of(1)).setCookieMask(U64.NO_MASK).setFlags(Set.of()).build()),
                Arguments.of("priority=9,in_port=1", FlowCommand.DELETE_STRICT,
                        F.buildFlowDeleteStrict().setXid(0).setMatch(inPort1).setPriority(9).setTableId(TableId.ALL)
                                .setInstructions(List.of()).setBufferId(OFBufferId.NO_BUFFER).setOutPort(OFPort.ANY)
                                .setOutGroup(OFGroup.ANY).setCookie(U64.ZERO).setCookieMask(U64.ZERO).setFlags(Set.of()).build()));
    }

    @ParameterizedTest(name = "[{index}] {1} {0}")
    @MethodSource("otherCommands")
    void modifyAndDeleteBuildTheirFlowMods(String text, FlowCommand command, OFFlowMod expected) throws Exception {
        assertEquals(expected, new FlowParser(F).parse(text, command).toFlowMod(F));
    }

    @org.junit.jupiter.api.Test
    void dumpFilterBuildsAFlowStatsRequestOverAllTablesByDefault() throws Exception {
        var request = new FlowParser(F).parse("tcp,out_port=2,cookie=0x3/0xf", FlowCommand.DUMP).toFlowStatsRequest(F);
        assertEquals(F.buildFlowStatsRequest().setXid(0).setTableId(TableId.ALL)
                .setMatch(ip(m().setExact(MatchField.IP_PROTO, IpProtocol.TCP))).setOutPort(OFPort.of(2)).setOutGroup(OFGroup.ANY)
                .setCookie(U64.of(3)).setCookieMask(U64.of(0xf)).build(), request);
    }
}
