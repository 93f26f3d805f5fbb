package io.shunt.ofproto.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shunt.ofproto.OpenFlowAgent;
import io.shunt.ofproto.testing.OfTestClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFAsyncGetReply;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFConfigFlags;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFControllerRoleReason;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorType;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFGetConfigReply;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFRoleReply;
import org.projectfloodlight.openflow.protocol.OFRoleRequestFailedCode;
import org.projectfloodlight.openflow.protocol.OFRoleStatus;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadRequestErrorMsg;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFHelloFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFRoleRequestFailedErrorMsg;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;

/** The connection state machine and connection-level requests, over real TCP sockets. */
class OfConnectionTest {

    private RecordingHandler handler;
    private OpenFlowAgent agent;
    private int port;

    @BeforeEach
    void start() throws Exception {
        handler = new RecordingHandler();
        agent = new OpenFlowAgent("br-test", handler, ChannelSettings.defaults().withInactivityProbe(Duration.ofSeconds(30)));
        agent.start();
        port = agent.port(agent.listen("ptcp:0:127.0.0.1"));
    }

    @AfterEach
    void stop() {
        agent.stop();
    }

    @Test
    void helloPicksHighestCommonVersionFromBitmaps() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            var hello = c.handshake(OFVersion.OF_10, OFVersion.OF_13);
            assertEquals(OFVersion.OF_15, hello.getVersion(), "switch advertises its highest version in the header");
            ControllerConnection conn = handler.nextConnected();
            assertEquals(OFVersion.OF_13, conn.factory().getVersion());
            c.send(c.factory().buildFeaturesRequest().setXid(7).build());
            OFFeaturesReply f = c.readUntil(OFFeaturesReply.class);
            assertEquals(7, f.getXid());
        }
    }

    @Test
    void helloWithoutBitmapSettlesOnTheLowerHeaderVersion() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            c.handshake(OFVersion.OF_10);
            assertEquals(OFVersion.OF_10, handler.nextConnected().factory().getVersion());
            c.send(c.factory().buildEchoRequest().setXid(3).setData(new byte[] {1, 2, 3}).build());
            OFEchoReply r = c.readUntil(OFEchoReply.class);
            assertEquals(OFVersion.OF_10, r.getVersion());
            assertArrayEquals(new byte[] {1, 2, 3}, r.getData());
        }
    }

    @Test
    void helloFromAFutureVersionIsReadThroughItsBitmap() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            OFFactory f15 = OFFactories.getFactory(OFVersion.OF_15);
            // A peer speaking a version 0x07 that does not exist yet, offering 1.3 (bit 4) and 0x07 (bit 7).
            byte[] hello = OfTestClient.encode(f15.buildHello().setXid(1)
                    .setElements(List.of(f15.helloElemVersionbitmap(List.of(U32.of((1 << 4) | (1 << 7)))))).build());
            hello[0] = 7;
            c.sendRaw(hello);
            assertInstanceOf(org.projectfloodlight.openflow.protocol.OFHello.class, c.read());
            assertEquals(OFVersion.OF_13, handler.nextConnected().factory().getVersion());
        }
    }

    @Test
    void incompatibleHelloIsRefusedWithHelloFailedAndClosed() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            OFFactory f13 = OFFactories.getFactory(OFVersion.OF_13);
            // Offers only OpenFlow 1.1 (bit 2) and 1.2 (bit 3), which shunt does not speak.
            c.send(f13.buildHello().setXid(1).setElements(List.of(f13.helloElemVersionbitmap(List.of(U32.of(0b1100))))).build());
            assertInstanceOf(org.projectfloodlight.openflow.protocol.OFHello.class, c.read());
            OFHelloFailedErrorMsg err = assertInstanceOf(OFHelloFailedErrorMsg.class, c.read());
            assertEquals(OFHelloFailedCode.INCOMPATIBLE, err.getCode());
            assertTrue(new String(err.getData().getData()).contains("no common OpenFlow version"));
            assertTrue(c.closedBySwitch());
        }
    }

    @Test
    void firstMessageOtherThanHelloFailsTheHandshake() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            c.send(OFFactories.getFactory(OFVersion.OF_13).buildEchoRequest().setXid(9).build());
            c.read(); // the switch's HELLO
            OFHelloFailedErrorMsg err = assertInstanceOf(OFHelloFailedErrorMsg.class, c.read());
            assertEquals(OFVersion.OF_13, err.getVersion());
            assertTrue(c.closedBySwitch());
        }
    }

    @Test
    void malformedRequestsGetTheirErrorAndTheConnectionLivesOn() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            c.handshake(OFVersion.OF_13);
            byte[] unknownType = {4, 99, 0, 8, 0, 0, 0, 11};
            byte[] unknownMultipart = {4, 18, 0, 16, 0, 0, 0, 12, 0, 99, 0, 0, 0, 0, 0, 0};
            byte[] truncatedFlowMod = {4, 14, 0, 16, 0, 0, 0, 13, 0, 0, 0, 0, 0, 0, 0, 0};
            byte[] wrongVersion = {1, 2, 0, 8, 0, 0, 0, 14};
            byte[] unknownExperimenter = {4, 4, 0, 16, 0, 0, 0, 15, 0, 0, 0, 9, 0, 0, 0, 1};
            c.sendRaw(concat(unknownType, unknownMultipart, truncatedFlowMod, wrongVersion, unknownExperimenter));
            assertBadRequest(c.read(), 11, OFBadRequestCode.BAD_TYPE, unknownType);
            assertBadRequest(c.read(), 12, OFBadRequestCode.BAD_STAT, unknownMultipart);
            assertBadRequest(c.read(), 13, OFBadRequestCode.BAD_LEN, truncatedFlowMod);
            assertBadRequest(c.read(), 14, OFBadRequestCode.BAD_VERSION, wrongVersion);
            assertBadRequest(c.read(), 15, OFBadRequestCode.BAD_EXPERIMENTER, unknownExperimenter);
            c.send(c.factory().buildEchoRequest().setXid(16).build());
            assertEquals(16, c.readUntil(OFEchoReply.class).getXid());
            assertTrue(handler.handled.isEmpty(), "no malformed request reaches the switch");
        }
    }

    /** The ONF bundle extension of OF1.3 (experimenter 0x4f4e4600, exp_type 2300/2301): malformed ones. */
    @Test
    void malformedOnfBundleMessagesGetTheirErrorAndTheConnectionLivesOn() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            c.handshake(OFVersion.OF_13);
            byte[] onf = {0x4f, 0x4e, 0x46, 0x00};
            // BUNDLE_CONTROL without its bundle_id/type/flags.
            byte[] shortControl = concat(new byte[] {4, 4, 0, 20, 0, 0, 0, 41}, onf, new byte[] {0, 0, 0x08, (byte) 0xfc, 0, 0, 0, 1});
            // BUNDLE_ADD_MESSAGE whose inner message claims 200 bytes of the 8 that follow.
            byte[] lyingAdd = concat(new byte[] {4, 4, 0, 32, 0, 0, 0, 42}, onf, new byte[] {0, 0, 0x08, (byte) 0xfd,
                    0, 0, 0, 1, 0, 0, 0, 3, 4, 14, 0, (byte) 200, 0, 0, 0, 42});
            // BUNDLE_CONTROL of type OPEN_REPLY (1): not a request.
            byte[] replyType = concat(new byte[] {4, 4, 0, 24, 0, 0, 0, 43}, onf, new byte[] {0, 0, 0x08, (byte) 0xfc,
                    0, 0, 0, 1, 0, 1, 0, 0});
            c.sendRaw(concat(shortControl, lyingAdd, replyType));
            assertBadRequest(c.read(), 41, OFBadRequestCode.BAD_LEN, shortControl);
            assertBadRequest(c.read(), 42, OFBadRequestCode.BAD_LEN, lyingAdd);
            // A bundle error exists in OF1.3 only as the extension's experimenter error:
            // type OFPET_EXPERIMENTER, exp_code 2300 + OFPBFC_BAD_TYPE (6), experimenter ONF, then the request.
            java.nio.ByteBuffer err = java.nio.ByteBuffer.wrap(c.readFrame());
            assertEquals(1, err.get(1), "OFPT_ERROR");
            assertEquals(43, err.getInt(4), "xid");
            assertEquals(0xffff, err.getShort(8) & 0xffff, "OFPET_EXPERIMENTER");
            assertEquals(2306, err.getShort(10) & 0xffff, "ONF exp_code of OFPBFC_BAD_TYPE");
            assertEquals(0x4f4e4600, err.getInt(12), "ONF experimenter id");
            assertArrayEquals(replyType, java.util.Arrays.copyOfRange(err.array(), 16, err.limit()));
            c.send(c.factory().buildEchoRequest().setXid(44).build());
            assertEquals(44, c.readUntil(OFEchoReply.class).getXid());
            assertTrue(handler.handled.isEmpty(), "no malformed bundle message reaches the switch");
        }
    }

    @Test
    void handlerErrorCarriesTheRequestXidAndBytes() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            c.handshake(OFVersion.OF_13);
            OFMessage fm = c.factory().buildFlowAdd().setXid(21).setTableId(TableId.of(0xFE)).build();
            c.send(fm);
            assertBadRequest(c.read(), 21, OFBadRequestCode.BAD_TABLE_ID, OfTestClient.encode(fm));
        }
    }

    @Test
    void lengthBelowTheHeaderLosesFramingSoTheSwitchAnswersBadLenAndCloses() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            c.handshake(OFVersion.OF_13);
            c.sendRaw(new byte[] {4, 2, 0, 4, 0, 0, 0, 31, 9, 9, 9, 9});
            OFBadRequestErrorMsg err = assertInstanceOf(OFBadRequestErrorMsg.class, c.read());
            assertEquals(OFBadRequestCode.BAD_LEN, err.getCode());
            assertEquals(31, err.getXid());
            assertTrue(c.closedBySwitch());
            assertTrue(handler.disconnected.poll(5, java.util.concurrent.TimeUnit.SECONDS) != null,
                    "the switch is told the connection is gone");
        }
    }

    @Test
    void missSendLenIsPerConnectionWhileFragmentHandlingIsSwitchWide() throws Exception {
        try (OfTestClient a = new OfTestClient(port); OfTestClient b = new OfTestClient(port)) {
            a.handshake(OFVersion.OF_13);
            b.handshake(OFVersion.OF_13);
            a.send(a.factory().buildSetConfig().setXid(1).setFlags(EnumSet.of(OFConfigFlags.FRAG_DROP)).setMissSendLen(0xFFFF).build());
            a.send(a.factory().buildGetConfigRequest().setXid(2).build());
            OFGetConfigReply ra = a.readUntil(OFGetConfigReply.class);
            assertEquals(0xFFFF, ra.getMissSendLen());
            assertTrue(ra.getFlags().contains(OFConfigFlags.FRAG_DROP));
            b.send(b.factory().buildGetConfigRequest().setXid(3).build());
            OFGetConfigReply rb = b.readUntil(OFGetConfigReply.class);
            assertEquals(128, rb.getMissSendLen());
            assertTrue(rb.getFlags().contains(OFConfigFlags.FRAG_DROP));
        }
    }

    @Test
    void masterRequestDemotesThePreviousMasterAndStaleGenerationIsRefused() throws Exception {
        try (OfTestClient a = new OfTestClient(port); OfTestClient b = new OfTestClient(port)) {
            a.handshake(OFVersion.OF_14);
            ControllerConnection connA = handler.nextConnected();
            b.handshake(OFVersion.OF_13);
            a.send(a.factory().buildRoleRequest().setXid(1).setRole(OFControllerRole.ROLE_MASTER).setGenerationId(U64.of(10)).build());
            assertEquals(OFControllerRole.ROLE_MASTER, a.readUntil(OFRoleReply.class).getRole());
            b.send(b.factory().buildRoleRequest().setXid(2).setRole(OFControllerRole.ROLE_MASTER).setGenerationId(U64.of(11)).build());
            OFRoleReply rb = b.readUntil(OFRoleReply.class);
            assertEquals(OFControllerRole.ROLE_MASTER, rb.getRole());
            assertEquals(U64.of(11), rb.getGenerationId());
            OFRoleStatus status = a.readUntil(OFRoleStatus.class);
            assertEquals(OFControllerRole.ROLE_SLAVE, status.getRole());
            assertEquals(OFControllerRoleReason.MASTER_REQUEST, status.getReason());
            assertEquals(OFControllerRole.ROLE_SLAVE, connA.role());

            // The demoted slave may not modify the switch...
            OFMessage fm = a.factory().buildFlowAdd().setXid(3).build();
            a.send(fm);
            assertBadRequest(a.read(), 3, OFBadRequestCode.IS_SLAVE, OfTestClient.encode(fm));
            // ...and may not take mastership back with an older generation id.
            a.send(a.factory().buildRoleRequest().setXid(4).setRole(OFControllerRole.ROLE_MASTER).setGenerationId(U64.of(10)).build());
            OFRoleRequestFailedErrorMsg stale = assertInstanceOf(OFRoleRequestFailedErrorMsg.class, a.read());
            assertEquals(OFRoleRequestFailedCode.STALE, stale.getCode());
            assertEquals(4, stale.getXid());
            // A wrapped-around generation id (signed distance > 0) is newer.
            a.send(a.factory().buildRoleRequest().setXid(5).setRole(OFControllerRole.ROLE_SLAVE).setGenerationId(U64.of(12)).build());
            assertEquals(OFControllerRole.ROLE_SLAVE, a.readUntil(OFRoleReply.class).getRole());
            assertEquals(0, handler.handled.size(), "refused writes never reach the switch");
        }
    }

    @Test
    void asyncConfigDefaultsFollowTheRoleAndSetAsyncChangesThem() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            c.handshake(OFVersion.OF_13);
            ControllerConnection conn = handler.nextConnected();
            c.send(c.factory().buildAsyncGetRequest().setXid(1).build());
            OFAsyncGetReply r = c.readUntil(OFAsyncGetReply.class);
            assertEquals(0b011, r.getPacketInMaskEqualMaster());
            assertEquals(0, r.getPacketInMaskSlave());
            assertEquals(0b111, r.getPortStatusMaskSlave());
            assertTrue(conn.wantsAsync(OFType.PACKET_IN, OFPacketInReason.NO_MATCH.ordinal()));
            assertFalse(conn.wantsAsync(OFType.PACKET_IN, 2), "INVALID_TTL is off by default");
            c.send(c.factory().buildAsyncSet().setXid(2).setPacketInMaskEqualMaster(0b010).setPacketInMaskSlave(0)
                    .setPortStatusMaskEqualMaster(0).setPortStatusMaskSlave(0)
                    .setFlowRemovedMaskEqualMaster(0b1).setFlowRemovedMaskSlave(0).build());
            c.send(c.factory().buildBarrierRequest().setXid(3).build());
            c.readUntil(OFBarrierReply.class);
            assertFalse(conn.wantsAsync(OFType.PACKET_IN, 0));
            assertTrue(conn.wantsAsync(OFType.PACKET_IN, 1));
            assertFalse(conn.wantsAsync(OFType.PORT_STATUS, 0));
            c.send(c.factory().buildRoleRequest().setXid(4).setRole(OFControllerRole.ROLE_SLAVE).setGenerationId(U64.of(1)).build());
            c.readUntil(OFRoleReply.class);
            assertFalse(conn.wantsAsync(OFType.PACKET_IN, 1), "slave mask applies after the role change");
        }
    }

    @Test
    void openFlow10UsesTheNiciraRoleRequest() throws Exception {
        try (OfTestClient a = new OfTestClient(port); OfTestClient b = new OfTestClient(port)) {
            a.handshake(OFVersion.OF_10);
            b.handshake(OFVersion.OF_10);
            ControllerConnection connA = handler.nextConnected();
            a.send(a.factory().buildNiciraControllerRoleRequest().setXid(1)
                    .setRole(org.projectfloodlight.openflow.protocol.OFNiciraControllerRole.ROLE_MASTER).build());
            assertEquals(org.projectfloodlight.openflow.protocol.OFNiciraControllerRole.ROLE_MASTER,
                    a.readUntil(org.projectfloodlight.openflow.protocol.OFNiciraControllerRoleReply.class).getRole());
            b.send(b.factory().buildNiciraControllerRoleRequest().setXid(2)
                    .setRole(org.projectfloodlight.openflow.protocol.OFNiciraControllerRole.ROLE_MASTER).build());
            b.readUntil(org.projectfloodlight.openflow.protocol.OFNiciraControllerRoleReply.class);
            assertEquals(OFControllerRole.ROLE_SLAVE, connA.role(), "the first master was demoted");
            OFMessage po = a.factory().buildPacketOut().setXid(3).setBufferId(org.projectfloodlight.openflow.types.OFBufferId.NO_BUFFER)
                    .setInPort(org.projectfloodlight.openflow.types.OFPort.CONTROLLER).setActions(List.of()).setData(new byte[60]).build();
            a.send(po);
            // OF1.0 has no OFPBRC_IS_SLAVE: the refusal falls back to OFPBRC_EPERM.
            assertBadRequest(a.read(), 3, OFBadRequestCode.EPERM, OfTestClient.encode(po));
        }
    }

    @Test
    void openFlow14AsyncConfigUsesProperties() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            c.handshake(OFVersion.OF_14);
            ControllerConnection conn = handler.nextConnected();
            assertTrue(conn.wantsAsync(OFType.PACKET_IN, 5), "OF1.4 default includes PACKET_OUT reason");
            c.send(c.factory().buildAsyncSet().setXid(1)
                    .setProperties(List.of(c.factory().asyncConfigPropPacketInMaster(0b1))).build());
            c.send(c.factory().buildAsyncGetRequest().setXid(2).build());
            OFAsyncGetReply r = c.readUntil(OFAsyncGetReply.class);
            long pinMaster = r.getProperties().stream()
                    .filter(p -> p instanceof org.projectfloodlight.openflow.protocol.OFAsyncConfigPropPacketInMaster)
                    .mapToLong(p -> ((org.projectfloodlight.openflow.protocol.OFAsyncConfigPropPacketInMaster) p).getMask())
                    .findFirst().orElseThrow();
            assertEquals(1, pinMaster);
            assertFalse(conn.wantsAsync(OFType.PACKET_IN, 5));
            assertTrue(conn.wantsAsync(OFType.FLOW_REMOVED, 5), "untouched properties keep their defaults (EVICTION)");
        }
    }

    @Test
    void barrierIsAnsweredAfterEveryEarlierRequestAndHandlersRunOnTheControlThread() throws Exception {
        try (OfTestClient c = new OfTestClient(port)) {
            c.handshake(OFVersion.OF_13);
            ControllerConnection conn = handler.nextConnected();
            for (int i = 0; i < 500; i++) {
                c.send(c.factory().buildFlowAdd().setXid(100 + i).setPriority(i).build());
            }
            c.send(c.factory().buildFeaturesRequest().setXid(999).build());
            c.send(c.factory().buildBarrierRequest().setXid(1000).build());
            assertEquals(999, c.read().getXid(), "features reply precedes the barrier reply");
            OFBarrierReply br = assertInstanceOf(OFBarrierReply.class, c.read());
            assertEquals(1000, br.getXid());
            assertEquals(501, handler.handled.size(), "all requests before the barrier were handled");
            for (int i = 0; i < 500; i++) {
                assertEquals(100 + i, handler.handled.get(i).getXid(), "handled in arrival order");
            }
            String control = conn.controlThread().submit(() -> Thread.currentThread().getName()).get();
            assertEquals(Set.of(control), Set.copyOf(handler.threads));
        }
    }

    @Test
    void inactivityProbeSendsEchoAndDropsASilentPeer() throws Exception {
        agent.stop();
        agent = new OpenFlowAgent("br-probe", handler, ChannelSettings.defaults().withInactivityProbe(Duration.ofMillis(300)));
        agent.start();
        int p = agent.port(agent.listen("ptcp:0:127.0.0.1"));
        try (OfTestClient answering = new OfTestClient(p); OfTestClient silent = new OfTestClient(p)) {
            answering.handshake(OFVersion.OF_13);
            silent.handshake(OFVersion.OF_13);
            // The answering peer replies to every probe on its own thread for as long as the test runs.
            var answerer = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                var probesAnswered = answerer.submit(() -> {
                    int answered = 0;
                    while (answered < 3) {
                        OFEchoRequest req = answering.readUntil(OFEchoRequest.class);
                        answering.send(answering.factory().buildEchoReply().setXid(req.getXid()).build());
                        answered++;
                    }
                    answering.send(answering.factory().buildBarrierRequest().setXid(77).build());
                    return answering.readUntil(OFBarrierReply.class).getXid();
                });
                OFEchoRequest probe = silent.readUntil(OFEchoRequest.class);
                assertEquals(OFVersion.OF_13, probe.getVersion());
                assertTrue(silent.closedBySwitch(), "a peer that never answers is disconnected");
                assertEquals(77L, probesAnswered.get(10, java.util.concurrent.TimeUnit.SECONDS),
                        "an answering peer stays connected");
            } finally {
                answerer.shutdownNow();
            }
        }
    }

    @Test
    void aPeerThatNeverSendsHelloIsDroppedAfterOneProbeInterval() throws Exception {
        agent.stop();
        agent = new OpenFlowAgent("br-probe", handler, ChannelSettings.defaults().withInactivityProbe(Duration.ofMillis(300)));
        agent.start();
        int p = agent.port(agent.listen("ptcp:0:127.0.0.1"));
        try (OfTestClient mute = new OfTestClient(p)) {
            assertInstanceOf(org.projectfloodlight.openflow.protocol.OFHello.class, mute.read());
            assertTrue(mute.closedBySwitch(), "the switch closes a connection that never says HELLO");
            assertTrue(handler.connected.isEmpty(), "never reached ESTABLISHED");
        }
    }

    private static void assertBadRequest(OFMessage m, long xid, OFBadRequestCode code, byte[] offending) {
        OFErrorMsg err = assertInstanceOf(OFErrorMsg.class, m, "expected an OFPT_ERROR, got " + m);
        assertEquals(OFErrorType.BAD_REQUEST, err.getErrType());
        OFBadRequestErrorMsg bad = (OFBadRequestErrorMsg) err;
        assertEquals(code, bad.getCode(), "error code");
        assertEquals(xid, bad.getXid(), "error xid");
        assertArrayEquals(offending, bad.getData().getData(), "error data is the offending request");
    }

    private static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
