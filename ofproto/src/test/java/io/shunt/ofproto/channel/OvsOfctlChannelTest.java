package io.shunt.ofproto.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shunt.ofproto.OpenFlowAgent;
import io.shunt.ofproto.testing.ExternalProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connection-level requests as Open vSwitch's own ovs-ofctl issues
 * them (ECHO, GET_CONFIG/SET_CONFIG), over ptcp: and punix: listeners, in
 * every supported version.
 */
class OvsOfctlChannelTest {

    @TempDir
    Path tmp;
    private OpenFlowAgent agent;
    private String tcp;
    private String unix;

    @BeforeEach
    void start() throws Exception {
        agent = new OpenFlowAgent("br-ofctl", new RecordingHandler());
        agent.start();
        tcp = "tcp:127.0.0.1:" + agent.port(agent.listen("ptcp:0:127.0.0.1"));
        Path socket = tmp.resolve("br-ofctl.mgmt");
        agent.listen("punix:" + socket);
        unix = "unix:" + socket;
    }

    @AfterEach
    void stop() {
        agent.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"OpenFlow10", "OpenFlow13", "OpenFlow14", "OpenFlow15"})
    void probeAndPingAnswerInEveryVersionOverTcpAndUnix(String version) throws Exception {
        for (String target : new String[] {tcp, unix}) {
            ExternalProcess.run(tmp, 20, "ovs-ofctl", "-O", version, "probe", target).assertOk();
            String ping = ExternalProcess.run(tmp, 20, "ovs-ofctl", "-O", version, "ping", target, "64").assertOk().output();
            assertTrue(ping.contains("bytes from"), ping);
        }
    }

    @Test
    void setFragsIsSeenByTheNextConnection() throws Exception {
        assertEquals("normal", ExternalProcess.run(tmp, 20, "ovs-ofctl", "-O", "OpenFlow13", "get-frags", tcp)
                .assertOk().output().trim());
        ExternalProcess.run(tmp, 20, "ovs-ofctl", "-O", "OpenFlow13", "set-frags", unix, "drop").assertOk();
        assertEquals("drop", ExternalProcess.run(tmp, 20, "ovs-ofctl", "-O", "OpenFlow13", "get-frags", tcp)
                .assertOk().output().trim());
    }

    @Test
    void versionNotOfferedIsRefusedWithAClearError() throws Exception {
        agent.stop();
        agent = new OpenFlowAgent("br-ofctl", new RecordingHandler(),
                ChannelSettings.defaults().withVersions(new OfVersions(java.util.Set.of(org.projectfloodlight.openflow.protocol.OFVersion.OF_13))));
        agent.start();
        String t = "tcp:127.0.0.1:" + agent.port(agent.listen("ptcp:0:127.0.0.1"));
        ExternalProcess.Result r = ExternalProcess.run(tmp, 20, "ovs-ofctl", "-O", "OpenFlow10", "probe", t);
        assertTrue(r.exitCode() != 0, "ovs-ofctl must fail: " + r.output());
        assertTrue(r.output().contains("version negotiation failed") || r.output().contains("HELLO"), r.output());
    }
}
