package io.shunt.datapath.flow;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The text form is OVS's: the real {@code ovs-ofctl parse-flow} reads what FlowText writes
 * and prints it back unchanged (OVS normalises field order and spelling, so any difference
 * in either shows up).
 */
class OvsOfctlCompatibilityTest {
    private static final Path OVS_OFCTL = Path.of("/usr/bin/ovs-ofctl");

    /** What ovs-ofctl prints for the flow after "ADD ", without " actions=drop". */
    private static String ovsNormalised(String flow) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(OVS_OFCTL.toString(), "parse-flow", flow + ",actions=drop")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "ovs-ofctl parse-flow did not finish in 20 s");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "ovs-ofctl rejected '" + flow + "': " + out);
        int add = out.indexOf("ADD ");
        assertTrue(add >= 0, "no flow in ovs-ofctl output: " + out);
        String line = out.substring(add + 4).lines().findFirst().orElseThrow();
        return line.substring(0, line.lastIndexOf(" actions="));
    }

    @Test
    void ovsOfctlReadsParsedKeysBackUnchanged() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(OVS_OFCTL), "ovs-ofctl (openvswitch-common) is installed");
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : PacketParserTest.everyProtocol().entrySet()) {
            FlowKey k = PacketParserTest.parse(e.getValue());
            // OVS's syntax has no outer 802.1ad TPID nor a second tag; those keys use shunt's extension
            if (k.vlanTpid() == EtherType.VLAN_8021AD || k.vlanTci2() != 0) {
                continue;
            }
            String text = k.toString();
            assertEquals(text, ovsNormalised(text), e.getKey());
            checked.add(e.getKey());
        }
        assertTrue(checked.size() >= 7, "most protocols checked: " + checked);
    }

    @Test
    void ovsOfctlReadsMegaflowsWithPrefixesAndFlagMasksBackUnchanged() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(OVS_OFCTL), "ovs-ofctl (openvswitch-common) is installed");
        for (String text : List.of(
                "tcp,in_port=3,dl_dst=00:00:00:00:00:02,nw_src=10.1.0.0/16,tp_dst=80",
                "tcp,tcp_flags=+syn-ack",
                "udp6,ipv6_src=2001:db8::/32,tp_dst=53",
                "ip,nw_frag=later",
                "arp,dl_vlan=10,arp_op=1",
                "icmp6,icmp_type=136,icmp_code=0,nd_target=fe80::1,nd_tll=02:00:00:00:00:0b")) {
            FlowText.Match m = FlowText.parse(text);
            assertEquals(text, FlowText.format(m.key(), m.mask()), "shunt round trip");
            assertEquals(text, ovsNormalised(text), "OVS round trip");
        }
    }
}
