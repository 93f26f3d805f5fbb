package io.shunt.vnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.ring.RingCounters;

/**
 * The VNF programs as separate processes on real port regions, with {@link RingWire} playing
 * the switch: source → wire → sink, and source → wire → forwarder → wire → sink.
 */
class VnfChainTest {
    private static final Logger LOG = LoggerFactory.getLogger(VnfChainTest.class);
    private static final int BUFFERS = 8192;
    private static final long EXIT_SECONDS = 170;

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void twoMillionPacketsFromSourceToSinkArriveOnceAndInOrder() throws Exception {
        long packets = 2_000_000;
        try (SwitchStandIn sw = new SwitchStandIn(BUFFERS)) {
            PortRegion sourcePort = sw.addPort("dpdkr0", 1);
            PortRegion sinkPort = sw.addPort("dpdkr1", 2);
            String dir = sw.directory().toString();
            VnfProcess sink = VnfProcess.start("sink", sw.directory(), Sink.class, "--dir", dir, "--port", "dpdkr1",
                    "--count", String.valueOf(packets), "--duration", "150s", "--per-flow");
            VnfProcess source;
            try (RingWire wire = RingWire.start("0-1", sourcePort, sinkPort, sw.pool())) {
                source = VnfProcess.start("source", sw.directory(), Source.class, "--dir", dir, "--port", "dpdkr0",
                        "--count", String.valueOf(packets), "--flows", "4", "--no-drop", "--duration", "150s");
                assertEquals(0, source.awaitExit(EXIT_SECONDS), source::output);
                assertEquals(0, sink.awaitExit(EXIT_SECONDS), sink::output);
                assertEquals(packets, wire.moved());
            }
            JsonNode sent = source.summary();
            JsonNode got = sink.summary();
            LOG.info("source -> wire -> sink, {} packets: source {} Mpps, sink {} Mpps, latency p50 {} ns p99 {} ns",
                    packets, sent.get("mpps").asDouble(), got.get("mpps").asDouble(),
                    got.get("latencyNanos").get("p50").asLong(), got.get("latencyNanos").get("p99").asLong());

            assertEquals(packets, sent.get("sent").asLong());
            assertEquals(0, sent.get("droppedAtTx").asLong());
            assertFalse(sent.get("interrupted").asBoolean());
            assertEquals(packets, got.get("received").asLong());
            assertEquals(packets * 64, got.get("bytes").asLong());
            assertEquals(0, got.get("lost").asLong());
            assertEquals(0, got.get("duplicated").asLong());
            assertEquals(0, got.get("reordered").asLong());
            assertEquals(0, got.get("foreign").asLong());
            assertEquals(0, got.get("unknownFlow").asLong());
            assertEquals(4, got.get("flowsSeen").asInt());
            assertEquals(packets, got.get("latencyNanos").get("count").asLong(), "every packet's latency recorded");
            for (JsonNode flow : got.get("flows")) {
                assertEquals(packets / 4, flow.get("received").asLong(), flow.toString());
                assertEquals(packets / 4 - 1, flow.get("lastSequence").asLong(), flow.toString());
            }
            RingCounters tx = sourcePort.txRing(sw.pool()).counters();
            RingCounters rx = sinkPort.rxRing(sw.pool()).counters();
            assertEquals(packets, tx.enqueuedPackets());
            assertEquals(0, tx.droppedPackets());
            assertEquals(packets, rx.dequeuedPackets());
            assertEquals(0, rx.rejected());
            assertEquals(BUFFERS, sw.pool().freeCount(), "both VNFs returned every buffer when they closed");
        }
    }

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void latencySkipLeavesTheFirstProbesOutOfTheHistogramButChecksThemAll() throws Exception {
        long packets = 20_000;
        long skip = 15_000;
        try (SwitchStandIn sw = new SwitchStandIn(BUFFERS)) {
            PortRegion sourcePort = sw.addPort("dpdkr0", 1);
            PortRegion sinkPort = sw.addPort("dpdkr1", 2);
            String dir = sw.directory().toString();
            VnfProcess sink = VnfProcess.start("sink", sw.directory(), Sink.class, "--dir", dir, "--port", "dpdkr1",
                    "--count", String.valueOf(packets), "--latency-skip", String.valueOf(skip), "--duration", "150s");
            try (RingWire wire = RingWire.start("0-1", sourcePort, sinkPort, sw.pool())) {
                VnfProcess source = VnfProcess.start("source", sw.directory(), Source.class, "--dir", dir, "--port",
                        "dpdkr0", "--count", String.valueOf(packets), "--no-drop", "--duration", "150s");
                assertEquals(0, source.awaitExit(EXIT_SECONDS), source::output);
                assertEquals(0, sink.awaitExit(EXIT_SECONDS), sink::output);
            }
            JsonNode got = sink.summary();
            assertEquals(packets, got.get("received").asLong());
            assertEquals(0, got.get("lost").asLong());
            assertEquals(packets - skip, got.get("latencyNanos").get("count").asLong(), got::toString);
        }
    }

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void aChainThroughAForwarderDeliversEveryPacketInOrder() throws Exception {
        long packets = 1_000_000;
        try (SwitchStandIn sw = new SwitchStandIn(BUFFERS)) {
            PortRegion sourcePort = sw.addPort("dpdkr0", 1);
            PortRegion fwdIn = sw.addPort("dpdkr1", 2);
            PortRegion fwdOut = sw.addPort("dpdkr2", 3);
            PortRegion sinkPort = sw.addPort("dpdkr3", 4);
            String dir = sw.directory().toString();
            VnfProcess sink = VnfProcess.start("sink", sw.directory(), Sink.class, "--dir", dir, "--port", "dpdkr3",
                    "--count", String.valueOf(packets), "--duration", "150s");
            VnfProcess forwarder = VnfProcess.start("forwarder", sw.directory(), Forwarder.class, "--dir", dir,
                    "--port0", "dpdkr1", "--port1", "dpdkr2", "--no-drop", "--duration", "160s");
            VnfProcess source;
            try (RingWire first = RingWire.start("0-1", sourcePort, fwdIn, sw.pool());
                 RingWire second = RingWire.start("2-3", fwdOut, sinkPort, sw.pool())) {
                source = VnfProcess.start("source", sw.directory(), Source.class, "--dir", dir, "--port", "dpdkr0",
                        "--count", String.valueOf(packets), "--flows", "2", "--no-drop", "--duration", "150s");
                assertEquals(0, source.awaitExit(EXIT_SECONDS), source::output);
                assertEquals(0, sink.awaitExit(EXIT_SECONDS), sink::output);
                forwarder.terminate();
                // SIGTERM: the JVM's exit status is 128 + 15 after the hook let the summary out.
                assertEquals(143, forwarder.awaitExit(30), forwarder::output);
            }
            JsonNode got = sink.summary();
            JsonNode fwd = forwarder.summary();
            LOG.info("source -> wire -> forwarder -> wire -> sink, {} packets: sink {} Mpps, latency p50 {} ns",
                    packets, got.get("mpps").asDouble(), got.get("latencyNanos").get("p50").asLong());
            assertEquals(packets, source.summary().get("sent").asLong());
            assertEquals(packets, got.get("received").asLong());
            assertEquals(0, got.get("lost").asLong());
            assertEquals(0, got.get("duplicated").asLong());
            assertEquals(0, got.get("reordered").asLong());
            assertEquals(2, got.get("flowsSeen").asInt());
            assertTrue(fwd.get("interrupted").asBoolean(), fwd::toString);
            assertEquals(packets, fwd.get("forward").get("received").asLong());
            assertEquals(packets, fwd.get("forward").get("forwarded").asLong());
            assertEquals(0, fwd.get("forward").get("dropped").asLong());
            assertEquals(0, fwd.get("reverse").get("received").asLong());
            assertEquals(BUFFERS, sw.pool().freeCount(), "every VNF returned every buffer");
        }
    }

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void aSourceFacingAFullRingCountsEveryPacketItDrops() throws Exception {
        long packets = 200_000;
        try (SwitchStandIn sw = new SwitchStandIn(BUFFERS)) {
            PortRegion sourcePort = sw.addPort("dpdkr0", 1);
            PortRegion sinkPort = sw.addPort("dpdkr1", 2);
            String dir = sw.directory().toString();
            VnfProcess sink = VnfProcess.start("sink", sw.directory(), Sink.class, "--dir", dir, "--port", "dpdkr1",
                    "--idle-timeout", "10s", "--duration", "150s");
            VnfProcess source;
            try (RingWire wire = RingWire.startPaused("0-1", sourcePort, sinkPort, sw.pool())) {
                source = VnfProcess.start("source", sw.directory(), Source.class, "--dir", dir, "--port", "dpdkr0",
                        "--count", String.valueOf(packets), "--duration", "150s");
                // The wire moves nothing until the source has found its tx ring full.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (sourcePort.txRing(sw.pool()).counters().droppedPackets() == 0) {
                    assertTrue(System.nanoTime() < deadline && source.isAlive(), () -> "no drops; " + source.output());
                    Thread.sleep(2);
                }
                wire.resume();
                assertEquals(0, source.awaitExit(EXIT_SECONDS), source::output);
                assertEquals(0, sink.awaitExit(EXIT_SECONDS), sink::output);
            }
            JsonNode sent = source.summary();
            JsonNode got = sink.summary();
            long dropped = sent.get("droppedAtTx").asLong();
            assertTrue(dropped > 0);
            assertEquals(packets, sent.get("sent").asLong() + dropped, "every packet was sent or counted as dropped");
            assertEquals(dropped, sourcePort.txRing(sw.pool()).counters().droppedPackets(),
                    "the drops are in the ring counter the switch reports");
            assertEquals(sent.get("sent").asLong(), got.get("received").asLong(), "what was sent arrived");
            assertTrue(got.get("timedOut").asBoolean());
            assertEquals(0, got.get("duplicated").asLong());
            assertEquals(0, got.get("reordered").asLong());
            assertTrue(got.get("lost").asLong() <= dropped, "the sink's gaps are drops the source counted");
            assertEquals(BUFFERS, sw.pool().freeCount());
        }
    }

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void theSinkCountsInjectedLossDuplicationAndReorderingExactly() throws Exception {
        long packets = 100_000;
        try (SwitchStandIn sw = new SwitchStandIn(BUFFERS)) {
            PortRegion sourcePort = sw.addPort("dpdkr0", 1);
            PortRegion sinkPort = sw.addPort("dpdkr1", 2);
            String dir = sw.directory().toString();
            VnfProcess sink = VnfProcess.start("sink", sw.directory(), Sink.class, "--dir", dir, "--port", "dpdkr1",
                    "--count", String.valueOf(packets), "--duration", "150s", "--per-flow");
            VnfProcess source;
            RingWire wire = RingWire.startWithFaults("0-1", sourcePort, sinkPort, sw.pool());
            try (wire) {
                source = VnfProcess.start("source", sw.directory(), Source.class, "--dir", dir, "--port", "dpdkr0",
                        "--count", String.valueOf(packets), "--no-drop", "--duration", "150s");
                assertEquals(0, source.awaitExit(EXIT_SECONDS), source::output);
                assertEquals(0, sink.awaitExit(EXIT_SECONDS), sink::output);
            }
            JsonNode got = sink.summary();
            assertEquals(packets / 1000, wire.dropped());
            assertEquals(packets / 1000, wire.duplicated());
            assertEquals(packets / 1000, wire.swapped());
            assertEquals(packets, got.get("received").asLong(), "drops and duplicates balance out");
            assertEquals(wire.dropped(), got.get("lost").asLong());
            assertEquals(wire.duplicated(), got.get("duplicated").asLong());
            assertEquals(wire.swapped(), got.get("reordered").asLong());
            assertEquals(0, got.get("late").asLong());
            assertEquals(packets - 1, got.get("flows").get(0).get("lastSequence").asLong());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPacedSourceIsNeverFasterThanItsRate() throws Exception {
        long packets = 10_000;
        long rate = 50_000;
        try (SwitchStandIn sw = new SwitchStandIn(BUFFERS)) {
            PortRegion sourcePort = sw.addPort("dpdkr0", 1);
            PortRegion sinkPort = sw.addPort("dpdkr1", 2);
            String dir = sw.directory().toString();
            VnfProcess sink = VnfProcess.start("sink", sw.directory(), Sink.class, "--dir", dir, "--port", "dpdkr1",
                    "--count", String.valueOf(packets), "--duration", "100s");
            VnfProcess source;
            try (RingWire wire = RingWire.start("0-1", sourcePort, sinkPort, sw.pool())) {
                source = VnfProcess.start("source", sw.directory(), Source.class, "--dir", dir, "--port", "dpdkr0",
                        "--count", String.valueOf(packets), "--rate", String.valueOf(rate), "--duration", "100s",
                        // Pacing is what is tested: with the wire thread starved on a loaded
                        // machine a full ring would otherwise drop, which is not the question here.
                        "--no-drop");
                assertEquals(0, source.awaitExit(110), source::output);
                assertEquals(0, sink.awaitExit(110), sink::output);
            }
            JsonNode sent = source.summary();
            // The bucket starts empty and holds one burst (32): the last packet cannot leave
            // before (packets - 32) / rate seconds. Only this lower bound is deterministic.
            long floorNanos = (packets - 32) * 1_000_000_000L / rate;
            assertTrue(sent.get("elapsedNanos").asLong() >= floorNanos, sent::toString);
            assertEquals(packets, sent.get("sent").asLong());
            assertEquals(packets, sink.summary().get("received").asLong());
            assertEquals(0, sink.summary().get("lost").asLong());
        }
    }
}
