package io.shunt.vnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.ring.RingCounters;

/** The programs' command lines, run as processes: help, and errors a user would make. */
class ProgramCommandLineTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyProgramPrintsItsUsageWithHelp() throws Exception {
        try (SwitchStandIn sw = new SwitchStandIn(64)) {
            for (Class<?> program : new Class<?>[] {Source.class, Forwarder.class, Sink.class}) {
                VnfProcess p = VnfProcess.start(program.getSimpleName(), sw.directory(), program, "--help");
                assertEquals(0, p.awaitExit(60), p::output);
                assertTrue(p.stdout().startsWith("Usage: " + program.getSimpleName().toLowerCase()), p::output);
                assertTrue(p.stdout().contains("--dir"), p::output);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anUnknownPortFailsWithAMessageNamingTheRegionFile() throws Exception {
        try (SwitchStandIn sw = new SwitchStandIn(64)) {
            VnfProcess p = VnfProcess.start("sink", sw.directory(), Sink.class, "--dir", sw.directory().toString(),
                    "--port", "dpdkr7");
            assertEquals(1, p.awaitExit(50), p::output);
            String expected = sw.directory().resolve("shunt-port-dpdkr7").toString();
            assertTrue(p.stderr().contains("sink: port 'dpdkr7' (" + expected + "): no such port region"), p::output);
            assertFalse(p.stderr().contains("\tat "), "no stack trace for a user error: " + p.output());
            assertEquals("", p.stdout());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFrameSizeBelowTheProbeIsRefusedBeforeAttaching() throws Exception {
        try (SwitchStandIn sw = new SwitchStandIn(64)) {
            sw.addPort("dpdkr0", 1);
            VnfProcess p = VnfProcess.start("source", sw.directory(), Source.class, "--dir", sw.directory().toString(),
                    "--port", "dpdkr0", "--size", "60", "--count", "1");
            assertEquals(1, p.awaitExit(50), p::output);
            assertTrue(p.stderr().contains("frame length 60 < 64"), p::output);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSourceStoppedBySigtermReportsWhatItDid() throws Exception {
        try (SwitchStandIn sw = new SwitchStandIn(4096)) {
            PortRegion port = sw.addPort("dpdkr0", 1);
            // Nobody consumes the tx ring: the source fills it once, then drops and counts.
            VnfProcess p = VnfProcess.start("source", sw.directory(), Source.class, "--dir", sw.directory().toString(),
                    "--port", "dpdkr0", "--duration", "100s");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (port.txRing(sw.pool()).counters().droppedPackets() == 0) {
                assertTrue(System.nanoTime() < deadline && p.isAlive(), p::output);
                Thread.sleep(5);
            }
            p.terminate();
            assertEquals(143, p.awaitExit(60), p::output);
            JsonNode summary = p.summary();
            RingCounters tx = port.txRing(sw.pool()).counters();
            assertTrue(summary.get("interrupted").asBoolean());
            assertEquals(SwitchStandIn.RING_CAPACITY, summary.get("sent").asLong(), "exactly one ring's worth went out");
            assertEquals(tx.enqueuedPackets(), summary.get("sent").asLong());
            assertEquals(tx.droppedPackets(), summary.get("droppedAtTx").asLong());
            assertEquals(4096 - SwitchStandIn.RING_CAPACITY, sw.pool().freeCount(),
                    "only the buffers in the ring are out of the pool after the source closed");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aForwarderRefusesPortsOfTwoPools() throws Exception {
        try (SwitchStandIn sw = new SwitchStandIn(64)) {
            sw.addPort("dpdkr1", 1);
            sw.addPortWithOwnPool("dpdkr2", 2);
            VnfProcess p = VnfProcess.start("forwarder", sw.directory(), Forwarder.class, "--dir",
                    sw.directory().toString(), "--port0", "dpdkr1", "--port1", "dpdkr2", "--duration", "30s");
            assertEquals(1, p.awaitExit(50), p::output);
            assertTrue(p.stderr().contains("use different pools"), p::output);
            assertEquals("", p.stdout());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void varyDlDstGivesEachFlowItsOwnDestinationMacAndOneUdpPort() throws Exception {
        try (SwitchStandIn sw = new SwitchStandIn(64)) {
            PortRegion port = sw.addPort("dpdkr0", 1);
            VnfProcess p = VnfProcess.start("source", sw.directory(), Source.class, "--dir", sw.directory().toString(),
                    "--port", "dpdkr0", "--vary", "dl_dst", "--flows", "3", "--count", "7",
                    "--dst-mac", "02:00:00:00:00:fe", "--src-port", "4000");
            assertEquals(0, p.awaitExit(50), p::output);
            assertEquals("dl_dst", p.summary().get("vary").asText(), p::output);
            int[] bufs = new int[16];
            int n = port.txRing(sw.pool()).dequeueBurst(bufs, 0, bufs.length);
            assertEquals(7, n);
            PacketBuffer view = sw.pool().newBufferView();
            long[] expected = {0x0200000000feL, 0x0200000000ffL, 0x020000000100L};
            for (int i = 0; i < n; i++) {
                view.wrap(bufs[i]);
                long mac = ((long) view.getShort(0) << 32) | (view.getInt(2) & 0xffff_ffffL);
                assertEquals(expected[i % 3], mac, "flow " + i % 3 + ": --dst-mac + flow, carried into byte 4");
                assertEquals(4000, view.getShort(ProbeFrame.UDP_SOURCE_PORT_OFFSET), "the UDP port does not vary");
                assertEquals(i % 3, view.getInt(ProbeFrame.FLOW_OFFSET));
            }
            sw.pool().freeBurst(bufs, 0, n);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void varyDlDstPastTheLastMacIsRefused() throws Exception {
        try (SwitchStandIn sw = new SwitchStandIn(64)) {
            sw.addPort("dpdkr0", 1);
            VnfProcess p = VnfProcess.start("source", sw.directory(), Source.class, "--dir", sw.directory().toString(),
                    "--port", "dpdkr0", "--vary", "dl_dst", "--flows", "2", "--count", "1",
                    "--dst-mac", "ff:ff:ff:ff:ff:ff");
            assertEquals(2, p.awaitExit(50), "a usage error, as picocli reports it: " + p.output());
            assertTrue(p.stderr().contains("goes past ff:ff:ff:ff:ff:ff"), p::output);
        }
    }
}
