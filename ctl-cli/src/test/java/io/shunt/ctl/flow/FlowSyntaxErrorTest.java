package io.shunt.ctl.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Malformed flows: each is refused with a message that names the problem and
 * the column of the token at fault (1-based), so that a user sees what to fix.
 */
class FlowSyntaxErrorTest {

    private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("in_prot=1,actions=drop", FlowCommand.ADD, "unknown field 'in_prot'", 1),
                Arguments.of("table=0,in_prot=1,actions=drop", FlowCommand.ADD, "unknown field 'in_prot'", 9),
                Arguments.of("in_port=1", FlowCommand.ADD,
                        "must specify actions (for example 'actions=output:2' or 'actions=drop')", 10),
                Arguments.of("in_port=x1,actions=drop", FlowCommand.ADD,
                        "bad port 'x1' for in_port: expected a port number or one of IN_PORT, TABLE, NORMAL, FLOOD, ALL, CONTROLLER, LOCAL, ANY", 9),
                Arguments.of("priority=70000,actions=drop", FlowCommand.ADD,
                        "value 70000 for priority does not fit in 16 bits (0..65535)", 10),
                Arguments.of("in_port=1,actions=foo:1", FlowCommand.ADD, "unknown action 'foo'", 19),
                Arguments.of("in_port=1,actions=output:2,drop", FlowCommand.ADD, "'drop' must be the only action", 28),
                Arguments.of("tp_dst=80,actions=drop", FlowCommand.ADD,
                        "tp_dst needs tcp, udp or sctp (for example 'tcp,tp_dst=80')", 1),
                Arguments.of("ip,udp_dst=53,actions=drop", FlowCommand.ADD,
                        "udp_dst needs udp (for example 'udp,udp_dst=80')", 4),
                Arguments.of("nw_src=10.0.0.1,actions=drop", FlowCommand.ADD,
                        "nw_src needs ip, arp or rarp (for example 'ip,nw_src=10.0.0.0/8')", 1),
                Arguments.of("ip,nw_src=10.0.0.256,actions=drop", FlowCommand.ADD,
                        "bad value '10.0.0.256' for nw_src: expected an IPv4 address a.b.c.d", 11),
                Arguments.of("ip,nw_dst=10.0.0.0/33,actions=drop", FlowCommand.ADD,
                        "prefix length 33 for nw_dst is longer than 32", 20),
                Arguments.of("dl_src=00:11:22:33:44,actions=drop", FlowCommand.ADD,
                        "bad value '00:11:22:33:44' for dl_src: expected an Ethernet address xx:xx:xx:xx:xx:xx", 8),
                Arguments.of("ipv6,ipv6_src=2001:db8::g,actions=drop", FlowCommand.ADD,
                        "bad value '2001:db8::g' for ipv6_src: expected an IPv6 address", 15),
                Arguments.of("ip,nw_tos=5,actions=drop", FlowCommand.ADD,
                        "nw_tos 5 has ECN bits set: it must be a multiple of 4 (match ECN with nw_ecn, or give the DSCP with ip_dscp)", 11),
                Arguments.of("ip,nw_ttl=5,actions=drop", FlowCommand.ADD, "OpenFlow 1.3 has no match field for the IP TTL (nw_ttl)", 11),
                Arguments.of("mpls_label=5,actions=drop", FlowCommand.ADD,
                        "mpls_label needs mpls or mplsm (for example 'mpls,mpls_label=...')", 1),
                Arguments.of("icmp6,nd_target=2001::1,icmp_type=135,tcp_flags=+syn,actions=drop", FlowCommand.ADD,
                        "tcp_flags needs tcp or tcp6 (for example 'tcp,tcp_flags=+syn')", 39),
                Arguments.of("tcp,tcp_flags=+syn+fin+bogus,actions=drop", FlowCommand.ADD,
                        "unknown TCP flag 'bogus' (expected one of fin, syn, rst, psh, ack, urg, ece, cwr, ns)", 24),
                Arguments.of("cookie=0x1/0xff,actions=drop", FlowCommand.ADD, "flow additions cannot use a cookie mask", 11),
                Arguments.of("cookie=0x1", FlowCommand.DELETE,
                        "cannot set a cookie in del-flows (to match on a cookie, give a mask, e.g. cookie=0x1/-1)", 1),
                Arguments.of("in_port=1,actions=drop", FlowCommand.DELETE, "del-flows takes no actions", 11),
                Arguments.of("idle_timeout=5,in_port=1", FlowCommand.DELETE, "'idle_timeout' is not allowed in del-flows", 1),
                Arguments.of("out_port=1,actions=drop", FlowCommand.ADD, "'out_port' is not allowed in add-flow", 1),
                Arguments.of("table=255,actions=drop", FlowCommand.ADD, "table=255 means 'all tables': add-flow needs one table", 7),
                Arguments.of("actions=output:1,goto_table:1,output:2", FlowCommand.ADD,
                        "action 'output:2' comes after goto_table: apply actions must all come before clear_actions,"
                                + " write_actions, write_metadata and goto_table", 31),
                Arguments.of("actions=goto_table:1,clear_actions", FlowCommand.ADD,
                        "invalid instruction order: clear_actions must come before goto_table (order: meter, actions,"
                                + " clear_actions, write_actions, write_metadata, goto_table)", 22),
                Arguments.of("actions=output:1,meter:2", FlowCommand.ADD,
                        "invalid instruction order: meter must come before apply_actions (order: meter, actions, clear_actions,"
                                + " write_actions, write_metadata, goto_table)", 18),
                Arguments.of("actions=write_actions(output:1,goto_table:2)", FlowCommand.ADD,
                        "'goto_table' is an instruction; write_actions takes actions only", 32),
                Arguments.of("actions=controller(reason=no_match)", FlowCommand.ADD,
                        "controller(reason=no_match): OpenFlow 1.3 controller output takes only max_len", 20),
                Arguments.of("actions=set_field:1->nw_ttl", FlowCommand.ADD, "set_field: unknown or read-only field 'nw_ttl'", 22),
                Arguments.of("actions=set_field:1", FlowCommand.ADD,
                        "set_field needs VALUE->FIELD (for example 'set_field:10.0.0.1->ip_dst')", 19),
                Arguments.of("actions=mod_tp_src:80", FlowCommand.ADD,
                        "mod_tp_src needs a match on tcp, udp or sctp (for example 'tcp,actions=mod_tp_src:80')", 9),
                Arguments.of("actions=mod_nw_src:1.2.3.4", FlowCommand.ADD,
                        "mod_nw_src needs a match on ip (for example 'ip,actions=mod_nw_src:1.2.3.4')", 9),
                Arguments.of("actions=output:1,write_actions(output:2", FlowCommand.ADD, "'write_actions(' is never closed", 18),
                Arguments.of("in_port=1,dl_vlan=4096,actions=drop", FlowCommand.ADD,
                        "dl_vlan 4096 is outside 0..4095 (or 0xffff for 'no VLAN')", 19),
                Arguments.of("importance=5,actions=drop", FlowCommand.ADD, "importance needs OpenFlow 1.4; shunt-ctl speaks 1.3", 1));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformed")
    void malformedFlowIsRefusedAtTheFaultyToken(String text, FlowCommand command, String problem, int column) {
        FlowSyntaxException e = assertThrows(FlowSyntaxException.class, () -> new FlowParser(F).parse(text, command));
        assertEquals(problem, e.problem());
        assertEquals(column, e.column(), () -> "column of: " + e.problem());
    }

    @Test
    void theUserSeesTheFlowTheProblemAndTheColumnOnOneLine() {
        FlowSyntaxException e = assertThrows(FlowSyntaxException.class,
                () -> new FlowParser(F).parse("in_prot=1", FlowCommand.DUMP));
        assertEquals("bad flow: 'in_prot=1': unknown field 'in_prot' at column 1", e.describe("flow", "in_prot=1"));
    }
}
