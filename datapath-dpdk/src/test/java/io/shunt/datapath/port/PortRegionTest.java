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
    void controlBlockCarriesTheDirectLinkHandshake() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create();
             PacketPool pool = PacketPool.create(dir.options(), "pool", 16, 5);
             PortRegion switchSide = PortRegion.create(dir.options(), "a", 1, 64, pool, 1);
             PortRegion vnfSide = PortRegion.attach(switchSide.region().file())) {
            PortControlBlock sw = switchSide.control();
            PortControlBlock vnf = vnfSide.control();
            assertEquals(PortRegionLayout.CONTROL_VERSION, vnf.controlVersion());
            assertEquals(LinkState.NORMAL, vnf.linkState());
            assertEquals(-1, vnf.linkTxRing());

            vnf.announceVnf(4242, PortRegionLayout.CONTROL_VERSION, 0);
            assertEquals(4242, sw.vnfPid());
            assertEquals(PortRegionLayout.CONTROL_VERSION, sw.vnfControlVersion());

            sw.linkState(LinkState.TX_SWITCHED);
            sw.requestTxLink(17, "link-17", 0, 1);
            assertEquals(17, vnf.txLinkRequest());
            assertEquals("link-17", vnf.linkRegionName());
            assertEquals(0, vnf.linkTxRing());
            assertEquals(1, vnf.linkRxRing());
            assertEquals(17, vnf.linkGeneration());
            vnf.ackTxLink(17);
            assertEquals(17, sw.txLinkAck());

            sw.publishRxFence(17, 123_456);
            assertEquals(17, vnf.rxFenceGeneration());
            assertEquals(123_456, vnf.rxFence());
            vnf.ackRxFence(17);
            assertEquals(17, sw.rxFenceAck());

            sw.requestTxRevert(17);
            assertEquals(17, vnf.txRevertRequest());
            vnf.ackTxRevert(17);
            vnf.ackRxLinkRelease(17);
            assertEquals(17, sw.txRevertAck());
            assertEquals(17, sw.rxLinkReleaseAck());

            sw.beatSwitchHeartbeat();
            vnf.beatVnfHeartbeat();
            vnf.beatVnfHeartbeat();
            assertEquals(1, vnf.switchHeartbeat());
            assertEquals(2, sw.vnfHeartbeat());
            assertEquals(LinkState.TX_SWITCHED, vnf.linkState());
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
            assertTrue(!seen.consumerTakenOver(0));
            link.announceConsumerTakeover(0);
            assertTrue(seen.consumerTakenOver(0));
            assertThrows(IllegalArgumentException.class, () -> seen.ring(2, pool));
        }
    }
}
