package io.shunt.ofproto.e2e;

import static io.shunt.ofproto.e2e.OvsOfctlEndToEndTest.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shunt.ofproto.channel.ConnectionInfo;
import io.shunt.ofproto.channel.ConnectionState;
import io.shunt.ofproto.testing.ExternalProcess;
import io.shunt.ofproto.testing.ShuntUnderTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Real controllers: os-ken running a learning-switch app, once as a
 * controller shunt connects to and once dialing shunt's listener, and
 * Open vSwitch's ovs-testcontroller.
 */
class ControllersEndToEndTest {

    /** An IPv4 frame from 00:00:00:00:00:01 to broadcast, enough for the app to learn and flood. */
    private static final String FRAME = "ffffffffffff" + "000000000001" + "0800"
            + "45000014000000004000" + "0000" + "0a0000010a000002";

    @TempDir
    Path tmp;
    private ShuntUnderTest shunt;

    @BeforeEach
    void start() throws Exception {
        shunt = ShuntUnderTest.start(tmp);
    }

    @AfterEach
    void stop() {
        shunt.close();
    }

    @Test
    void osKenAsActiveControllerInstallsTableMissAndReceivesPacketIns() throws Exception {
        int port = freePort();
        Path events = tmp.resolve("events.log");
        try (ExternalProcess osken = osken(events, "--ofp-tcp-listen-port", String.valueOf(port),
                "--ofp-listen-host", "127.0.0.1")) {
            waitUntil(() -> listening(port), "os-ken listening on " + port);
            shunt.agent().addController("tcp:127.0.0.1:" + port);
            checkLearningSwitch(events, osken);
            ConnectionInfo c = shunt.agent().connections().stream()
                    .filter(i -> i.origin().equals("tcp:127.0.0.1:" + port)).findFirst().orElseThrow();
            assertEquals(ConnectionState.ESTABLISHED, c.state());
            assertEquals(OFVersion.OF_13, c.version());
        }
    }

    @Test
    void osKenDialingThePassiveListenerWorksTheSame() throws Exception {
        Path events = tmp.resolve("events.log");
        try (ExternalProcess osken = osken(events, "--ofp-switch-address-list", "127.0.0.1:" + shunt.port(),
                "--ofp-tcp-listen-port", String.valueOf(freePort()), "--ofp-listen-host", "127.0.0.1")) {
            checkLearningSwitch(events, osken);
        }
    }

    @Test
    void ovsTestcontrollerConnectsAndCompletesItsHandshake() throws Exception {
        int port = freePort();
        // -v logs every message at debug level to stderr; it runs a unixctl server, hence its own run dir.
        try (ExternalProcess tc = ExternalProcess.start(tmp, List.of("ovs-testcontroller", "-v", "ptcp:" + port + ":127.0.0.1"),
                Map.of("OVS_RUNDIR", tmp.toString()))) {
            waitUntil(() -> listening(port), "ovs-testcontroller listening on " + port + "; output:\n" + tc.output());
            shunt.agent().addController("tcp:127.0.0.1:" + port);
            waitUntil(() -> shunt.agent().connections().stream().anyMatch(i -> i.state() == ConnectionState.ESTABLISHED
                    && i.origin().startsWith("tcp:") && i.received() >= 2), "ovs-testcontroller established");
            // Its handshake ends when it has our FEATURES_REPLY: vconn logs it at debug level.
            waitUntil(() -> tc.output().contains("OFPT_FEATURES_REPLY"), "ovs-testcontroller received FEATURES_REPLY");
            String out = tc.output();
            assertTrue(out.contains(String.format("dpid:%016x", ShuntUnderTest.DPID)), out);
            assertTrue(tc.isAlive());
        }
    }

    private void checkLearningSwitch(Path events, ExternalProcess osken) throws Exception {
        waitUntil(() -> read(events).contains("barrier_reply"), "os-ken handshake + table-miss install; os-ken output:\n"
                + osken.output());
        assertTrue(read(events).contains(String.format("features dpid=%016x", ShuntUnderTest.DPID)), read(events));
        waitUntil(() -> shunt.ofctl("dump-flows").contains("priority=0 actions=CONTROLLER:65535"),
                "table-miss entry visible in dump-flows");
        shunt.ofctl("packet-out", "in_port=1 packet=" + FRAME + " actions=table");
        waitUntil(() -> read(events).contains("packet_in in_port=1 src=00:00:00:00:00:01 dst=ff:ff:ff:ff:ff:ff reason=0 table=0"),
                "PACKET_IN delivered to os-ken; events:\n" + read(events));
    }

    private ExternalProcess osken(Path events, String... args) throws IOException {
        Path app = tmp.resolve("learning_switch_13.py");
        try (InputStream in = getClass().getResourceAsStream("/osken/learning_switch_13.py")) {
            Files.copy(in, app, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3", "/usr/bin/osken-manager", app.toString()));
        cmd.addAll(List.of(args));
        return ExternalProcess.start(tmp, cmd, Map.of("SHUNT_OSKEN_EVENTS", events.toString()));
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
