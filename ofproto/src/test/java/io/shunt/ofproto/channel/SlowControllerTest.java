package io.shunt.ofproto.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shunt.ofproto.OpenFlowAgent;
import io.shunt.ofproto.testing.OfTestClient;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/** A controller that stops reading: replies are kept, asynchronous messages are dropped, memory stays bounded. */
class SlowControllerTest {

    private OpenFlowAgent agent;
    private RecordingHandler handler;
    private int port;

    @BeforeEach
    void start() throws Exception {
        handler = new RecordingHandler();
        // Small water marks so that the test needs few messages to fill them.
        agent = new OpenFlowAgent("br-slow", handler, ChannelSettings.defaults().withWriteWaterMarks(16 << 10, 64 << 10)
                .withInactivityProbe(java.time.Duration.ofSeconds(60)));
        agent.start();
        port = agent.port(agent.listen("ptcp:0:127.0.0.1"));
    }

    @AfterEach
    void stop() {
        agent.stop();
    }

    @Test
    void asynchronousMessagesAreDroppedWhileTheControllerDoesNotRead() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            c.handshake(OFVersion.OF_13);
            ControllerConnection conn = handler.nextConnected();
            byte[] frame = new byte[1000];
            int offered = 20_000; // 20 MB of PACKET_IN against a 64 KiB high water mark
            for (int i = 0; i < offered; i++) {
                OFPacketIn pin = conn.factory().buildPacketIn().setXid(0).setBufferId(OFBufferId.NO_BUFFER)
                        .setReason(OFPacketInReason.NO_MATCH).setTableId(TableId.of(0)).setCookie(U64.of(i))
                        .setMatch(conn.factory().buildMatch().build()).setData(frame).setTotalLen(frame.length).build();
                conn.send(pin);
            }
            conn.controlThread().submit(() -> null).get(30, TimeUnit.SECONDS); // every send above has run
            // The request arrives after the flood; the switch reads it once output has drained.
            c.send(c.factory().buildEchoRequest().setXid(99).build());
            int packetIns = 0;
            OFMessage m;
            while (!((m = c.read()) instanceof OFEchoReply)) {
                assertTrue(m instanceof OFPacketIn, "only packet-ins before the echo reply, got " + m);
                packetIns++;
            }
            assertEquals(99, m.getXid());
            ConnectionInfo info = agent.connections().get(0);
            assertEquals(offered, packetIns + info.asyncDropped(), "every packet-in is either delivered or counted as dropped");
            assertTrue(info.asyncDropped() > offered / 2, "most of the flood was dropped: " + info.asyncDropped());
            assertEquals(ConnectionState.ESTABLISHED, info.state());
        }
    }

    @Test
    void repliesAreNeverDroppedAndRequestsWaitInTcpWhileTheControllerDoesNotRead() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            c.handshake(OFVersion.OF_13);
            int requests = 30_000;
            var writer = Executors.newSingleThreadExecutor();
            try {
                // Echo replies carry 1000 bytes each: 30 MB of replies, more than the socket buffers hold.
                Future<?> sent = writer.submit(() -> {
                    for (int i = 0; i < requests; i++) {
                        c.send(c.factory().buildEchoRequest().setXid(i).setData(new byte[1000]).build());
                    }
                    c.send(c.factory().buildBarrierRequest().setXid(requests).build());
                    return null;
                });
                // Let the switch hit its high water mark and pause reading before we start to read.
                Thread.sleep(500);
                assertTrue(agent.connections().get(0).sent() < requests, "the switch paused rather than queue every reply");
                for (int i = 0; i < requests; i++) {
                    OFMessage r = c.read();
                    assertTrue(r instanceof OFEchoReply, "reply " + i + " is " + r);
                    assertEquals(i, r.getXid(), "replies in order, none lost");
                }
                assertEquals(requests, c.readUntil(OFBarrierReply.class).getXid());
                sent.get(30, TimeUnit.SECONDS);
            } finally {
                writer.shutdownNow();
            }
        }
    }
}
