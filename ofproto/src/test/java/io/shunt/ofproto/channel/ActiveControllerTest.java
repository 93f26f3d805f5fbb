package io.shunt.ofproto.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shunt.ofproto.OpenFlowAgent;
import io.shunt.ofproto.testing.OfTestClient;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U32;

/** Active {@code tcp:} controllers: connect, reconnect with doubling back-off, reset after a good session. */
class ActiveControllerTest {

    private OpenFlowAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.stop();
        }
    }

    @Test
    void backoffDoublesToTheMaximumWhileTheControllerIsDownThenConnects() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        agent = new OpenFlowAgent("br-active", handler,
                ChannelSettings.defaults().withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)));
        agent.start();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // Nothing listens there any more: every attempt is refused.
        String target = "tcp:127.0.0.1:" + port;
        agent.addController(target);
        ActiveController.Status s = waitFor(() -> agent.controllers().get(0), st -> st.attempts() >= 5);
        assertEquals(Duration.ofMillis(200), s.backoff(), "back-off doubled 50→100→200 and stopped at the maximum");
        assertEquals(target, s.target());
    }

    @Test
    void reconnectsAfterTheControllerDropsTheConnection() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        agent = new OpenFlowAgent("br-active", handler,
                ChannelSettings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(8)));
        agent.start();
        try (ServerSocket controller = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            controller.setSoTimeout(10_000);
            String target = "tcp:127.0.0.1:" + controller.getLocalPort();
            agent.addController(target);
            for (int session = 1; session <= 2; session++) {
                try (Socket s = controller.accept()) {
                    s.setSoTimeout(5000);
                    OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
                    byte[] helloBytes = OfTestClient.encode(f.buildHello().setXid(1)
                            .setElements(List.of(f.helloElemVersionbitmap(List.of(U32.of(1 << 4))))).build());
                    s.getOutputStream().write(helloBytes);
                    byte[] header = s.getInputStream().readNBytes(8);
                    assertEquals(0, header[1], "switch's first message is HELLO");
                    s.getInputStream().readNBytes(((header[2] & 0xFF) << 8 | (header[3] & 0xFF)) - 8);
                    s.getOutputStream().write(OfTestClient.encode(f.buildEchoRequest().setXid(5).build()));
                    byte[] reply = s.getInputStream().readNBytes(8);
                    assertInstanceOf(OFEchoReply.class, OFFactories.getGenericReader()
                            .readFrom(io.netty.buffer.Unpooled.wrappedBuffer(reply)));
                    ConnectionInfo info = waitFor(() -> agent.connections(), l -> !l.isEmpty()).get(0);
                    assertEquals(ConnectionState.ESTABLISHED, info.state());
                    assertEquals(target, info.origin());
                    assertEquals(OFVersion.OF_13, info.version());
                }
                // Closing our end: the switch must come back (back-off reset to 100 ms after a good session).
            }
            assertEquals(2, handler.connected.size(), "two sessions reached ESTABLISHED");
            assertTrue(agent.removeController(target));
            assertTrue(waitFor(() -> agent.connections(), List::isEmpty).isEmpty());
        }
    }

    @Test
    void severalControllersAtOnceEachGetTheirOwnConnection() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        agent = new OpenFlowAgent("br-active", handler, ChannelSettings.defaults());
        agent.start();
        try (ServerSocket c1 = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
             ServerSocket c2 = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            c1.setSoTimeout(10_000);
            c2.setSoTimeout(10_000);
            String t1 = "tcp:127.0.0.1:" + c1.getLocalPort();
            String t2 = "tcp:127.0.0.1:" + c2.getLocalPort();
            agent.addController(t1);
            agent.addController(t2);
            try (Socket s1 = c1.accept(); Socket s2 = c2.accept()) {
                OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
                for (Socket s : List.of(s1, s2)) {
                    s.getOutputStream().write(OfTestClient.encode(f.buildHello().setXid(1).build()));
                }
                List<ConnectionInfo> both = waitFor(() -> agent.connections(),
                        l -> l.size() == 2 && l.stream().allMatch(i -> i.state() == ConnectionState.ESTABLISHED));
                assertEquals(java.util.Set.of(t1, t2), both.stream().map(ConnectionInfo::origin).collect(java.util.stream.Collectors.toSet()));
                assertEquals(java.util.Set.of(ActiveController.Phase.CONNECTED),
                        agent.controllers().stream().map(ActiveController.Status::phase).collect(java.util.stream.Collectors.toSet()));
                assertTrue(agent.removeController(t1));
                assertEquals(List.of(t2), waitFor(() -> agent.connections(), l -> l.size() == 1).stream().map(ConnectionInfo::origin).toList(),
                        "removing one controller leaves the other connected");
            }
        }
    }

    @Test
    void passiveTargetsGivenAsControllersListenLikeOvsVsctlSetController() throws Exception {
        agent = new OpenFlowAgent("br-active", new RecordingHandler(), ChannelSettings.defaults());
        agent.start();
        agent.addController("ptcp:0:127.0.0.1");
        assertEquals(1, agent.listeners().size());
        String bound = agent.listeners().get(0);
        assertTrue(bound.startsWith("ptcp:") && agent.port(bound) > 0, bound);
        try (OfTestClient c = new OfTestClient(agent.port(bound))) {
            c.handshake(OFVersion.OF_13);
        }
        assertTrue(agent.removeController("ptcp:0:127.0.0.1"), "removed by the target it was given");
        assertTrue(agent.listeners().isEmpty());
        int port = Integer.parseInt(bound.split(":")[1]);
        assertThrows(java.net.ConnectException.class, () -> new OfTestClient(port), "nothing listens any more");
    }

    private static <T> T waitFor(java.util.function.Supplier<T> probe, java.util.function.Predicate<T> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 10 s; last value " + value);
            }
            Thread.sleep(20);
            value = probe.get();
        }
        return value;
    }

}
