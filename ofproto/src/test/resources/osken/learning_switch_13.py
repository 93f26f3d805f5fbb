"""A small OpenFlow 1.3 learning switch for shunt's end-to-end tests.

Debian's python3-os-ken ships no sample apps, so the tests bring their own.
On connection it installs the table-miss entry (priority 0, empty match,
output to the controller without buffering); on each PACKET_IN it learns the
source MAC, installs an in_port/eth_dst flow when the destination is known,
and sends the packet out. Every event is appended, one line each, to the file
named by the SHUNT_OSKEN_EVENTS environment variable, which the test reads.
"""
import os

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib.packet import ethernet, packet
from os_ken.ofproto import ofproto_v1_3


class LearningSwitch13(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mac_to_port = {}
        self.event_log = os.environ.get("SHUNT_OSKEN_EVENTS")

    def record(self, line):
        if self.event_log:
            with open(self.event_log, "a") as f:
                f.write(line + "\n")
                f.flush()

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def switch_features(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        actions = [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)]
        inst = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
        dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=0, match=parser.OFPMatch(), instructions=inst))
        dp.send_msg(parser.OFPBarrierRequest(dp))
        self.record("features dpid=%016x n_tables=%d" % (ev.msg.datapath_id, ev.msg.n_tables))

    @set_ev_cls(ofp_event.EventOFPBarrierReply, MAIN_DISPATCHER)
    def barrier_reply(self, ev):
        self.record("barrier_reply xid=%d" % ev.msg.xid)

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        in_port = msg.match["in_port"]
        eth = packet.Packet(msg.data).get_protocol(ethernet.ethernet)
        self.record("packet_in in_port=%d src=%s dst=%s reason=%d table=%d"
                    % (in_port, eth.src, eth.dst, msg.reason, msg.table_id))
        table = self.mac_to_port.setdefault(dp.id, {})
        table[eth.src] = in_port
        out_port = table.get(eth.dst, ofp.OFPP_FLOOD)
        actions = [parser.OFPActionOutput(out_port)]
        if out_port != ofp.OFPP_FLOOD:
            match = parser.OFPMatch(in_port=in_port, eth_dst=eth.dst)
            inst = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
            dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=1, match=match, instructions=inst))
            self.record("flow_mod in_port=%d eth_dst=%s output=%d" % (in_port, eth.dst, out_port))
        dp.send_msg(parser.OFPPacketOut(datapath=dp, buffer_id=ofp.OFP_NO_BUFFER, in_port=in_port,
                                        actions=actions, data=msg.data))
