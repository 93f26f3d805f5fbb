package io.shunt.datapath.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.region.RegionKind;
import io.shunt.datapath.region.ShmDirectory;
import io.shunt.datapath.ring.SpscRing;

/** Port and link regions seen from the switch's mapping and a VNF's mapping of the same file. */
class PortRegionTest {

    @Test
    void packetsAndCountersCrossThePortInBothDirections() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create();
             PacketPool pool = PacketPool.create(dir.options(), "pool", 256, 5);
             PortRegion switchSide = PortRegion.create(dir.options(), "vnf1", 3, 64, pool, 1);
             PacketPool vnfPool = PacketPool.attach(pool.region().file());
             PortRegion vnfSide = PortRegion.attach(switchSide.region().file())) {
            SpscRing vnfTx = vnfSide.txRing(vnfPool);
            SpscRing switchTx = switchSide.txRing(pool);
            int[] bufs = new int[4];
            assertEquals(4, vnfPool.allocBurst(bufs, 0, 4));
            PacketBuffer view = vnfPool.newBufferView();
            for (int i = 0; i < 4; i++) {
                view.wrap(bufs[i]).reset().length(60 + i).putInt(0, 100 + i);
            }
            assertEquals(4, vnfTx.enqueueBurst(bufs, 0, 4));
            int[] got = new int[8];
            assertEquals(4, switchTx.dequeueBurst(got, 0, 8));
            PacketBuffer seen = pool.newBufferView();
            for (int i = 0; i < 4; i++) {
                assertEquals(100 + i, seen.wrap(got[i]).getInt(0));
            }
            assertEquals(4, switchTx.counters().enqueuedPackets());
            assertEquals(60 + 61 + 62 + 63, switchTx.counters().enqueuedBytes());

            SpscRing switchRx = switchSide.rxRing(pool);
            SpscRing vnfRx = vnfSide.rxRing(vnfPool);
            assertEquals(4, switchRx.enqueueBurst(got, 0, 4));
            assertEquals(4, vnfRx.dequeueBurst(bufs, 0, 4));
            vnfPool.freeBurst(bufs, 0, 4);
            assertEquals(256, pool.freeCount());
            assertEquals(4, switchSide.rxRing(pool).counters().dequeuedPackets(), "third party reads counters");
        }
    }

    @Test
    void ringsRefuseAPoolOtherThanTheOneThePortNames() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create();
             PacketPool pool = PacketPool.create(dir.options(), "pool", 16, 5);
             PacketPool other = PacketPool.create(dir.options(), "other", 16, 5);
             PortRegion port = PortRegion.create(dir.options(), "vnf1", 3, 64, pool, 1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> port.rxRing(other));
            assertTrue(e.getMessage().contains("names pool 'pool' generation 5"), e.getMessage());
        }
    }

    @Test
    void controlBlockCarriesLinkMembershipAndLivenessOfBothSides() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create();
             PacketPool pool = PacketPool.create(dir.options(), "pool", 16, 5);
             PortRegion switchSide = PortRegion.create(dir.options(), "a", 1, 64, pool, 1);
             PortRegion vnfSide = PortRegion.attach(switchSide.region().file())) {
            PortControlBlock sw = switchSide.control();
            PortControlBlock vnf = vnfSide.control();
            assertEquals(PortRegionLayout.CONTROL_VERSION, vnf.controlVersion());
            assertEquals(LinkState.NORMAL, vnf.linkState());
            assertEquals(0, vnf.linkGeneration());
            assertEquals(0, sw.vnfControlVersion(), "no shim announced yet");

            vnf.announceVnf(4242, PortRegionLayout.CONTROL_VERSION, 3);
            assertEquals(PortRegionLayout.CONTROL_VERSION, sw.vnfControlVersion());
            assertEquals(4242, sw.vnfPid());
            assertEquals(3, sw.vnfFeatures());

            sw.announceLink(17, "link-17");
            sw.linkState(LinkState.PLUGGING);
            assertEquals(17, vnf.linkGeneration());
            assertEquals("link-17", vnf.linkRegionName());
            assertEquals(LinkState.PLUGGING, vnf.linkState());
            sw.clearLink();
            assertEquals(0, vnf.linkGeneration());

            sw.beatSwitchHeartbeat();
            vnf.beatVnfHeartbeat();
            vnf.beatVnfHeartbeat();
            assertEquals(1, vnf.switchHeartbeat());
            assertEquals(2, sw.vnfHeartbeat());
        }
    }

    @Test
    void linkDirectionWordsCarryTheProtocolOfDirectLinkProtocolMd() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create();
             PacketPool pool = PacketPool.create(dir.options(), "pool", 16, 5);
             LinkRegion switchSide = LinkRegion.create(dir.options(), "link-17", 17, 1, 2, 2, 64, pool);
             LinkRegion vnfA = LinkRegion.attach(switchSide.region().file());
             LinkRegion vnfB = LinkRegion.attach(switchSide.region().file())) {
            LinkDirection lm = switchSide.direction(0);
            LinkDirection ga = vnfA.direction(0);
            LinkDirection gb = vnfB.direction(0);
            assertEquals(LinkDirection.REQUEST_NONE, ga.request());
            assertEquals(LinkDirection.UNSET_POSITION, lm.switchPosition(), "all ones until GA switches");
            assertEquals(LinkDirection.UNSET_POSITION, gb.fence(), "all ones until S publishes");

            lm.request(LinkDirection.REQUEST_DIRECT);
            assertEquals(LinkDirection.REQUEST_DIRECT, ga.request());
            ga.switchToLink(1234);
            assertEquals(LinkDirection.REQUEST_DIRECT, lm.txAck());
            assertEquals(1234, lm.switchPosition());
            lm.publishFence(777);
            assertEquals(777, gb.fence());
            gb.rxState(LinkDirection.RX_READING);
            assertEquals(LinkDirection.RX_READING, lm.rxState());

            lm.request(LinkDirection.REQUEST_REVERT);
            assertEquals(LinkDirection.REQUEST_REVERT, ga.request());
            ga.ackRevert();
            assertEquals(LinkDirection.REQUEST_REVERT, lm.txAck());
            lm.close();
            assertTrue(gb.isClosed());
            gb.rxState(LinkDirection.RX_DETACHED);
            assertEquals(LinkDirection.RX_DETACHED, lm.rxState());

            assertEquals(LinkDirection.REQUEST_NONE, vnfB.direction(1).request(), "directions are independent");
            assertTrue(!gb.isConsumerTakenOver());
            lm.takeOverConsumer();
            assertTrue(gb.isConsumerTakenOver());
            assertThrows(IllegalArgumentException.class, () -> lm.request(3));
        }
    }

    @Test
    void linkRegionHoldsOneRingPerDirection() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create();
             PacketPool pool = PacketPool.create(dir.options(), "pool", 64, 5);
             LinkRegion link = LinkRegion.create(dir.options(), "link-17", 17, 1, 2, 2, 128, pool);
             LinkRegion seen = LinkRegion.attach(link.region().file())) {
            assertEquals(RegionKind.LINK, seen.region().kind());
            assertEquals(17, seen.linkGeneration());
            assertEquals(2, seen.directions());
            assertEquals(1, seen.portA());
            assertEquals(2, seen.portB());
            assertEquals(LinkState.PLUGGING, seen.linkState());
            int[] a = {1, 2};
            int[] b = {3};
            assertEquals(2, link.ring(0, pool).enqueueBurst(a, 0, 2));
            assertEquals(1, link.ring(1, pool).enqueueBurst(b, 0, 1));
            int[] out = new int[4];
            assertEquals(2, seen.ring(0, pool).dequeueBurst(out, 0, 4));
            assertEquals(1, seen.ring(1, pool).dequeueBurst(out, 0, 4));
            assertEquals(3, out[0], "directions do not mix");
            assertThrows(IllegalArgumentException.class, () -> seen.ring(2, pool));
            try (LinkRegion oneWay = LinkRegion.create(dir.options(), "link-18", 18, 1, 2, 1, 128, pool)) {
                assertThrows(IllegalArgumentException.class, () -> oneWay.ring(1, pool));
                assertThrows(IllegalArgumentException.class, () -> oneWay.direction(1));
            }
        }
    }
}
