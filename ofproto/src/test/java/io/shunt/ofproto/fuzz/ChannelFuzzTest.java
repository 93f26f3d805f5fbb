package io.shunt.ofproto.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shunt.ofproto.testing.OfTestClient;
import io.shunt.ofproto.testing.ShuntUnderTest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hostile input over a real socket against the real switch: 100,000
 * mutated OpenFlow 1.3 messages (bit flips, truncations, length lies,
 * random OXMs, random bytes). The switch must not crash or hang, must
 * answer with errors, and a second, well-behaved connection must be served
 * throughout (ECHO and BARRIER answered every 5,000 hostile messages) and
 * keep its 100 flows.
 */
class ChannelFuzzTest {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelFuzzTest.class);
    private static final int MESSAGES = 100_000;
    private static final int GOOD_FLOWS = 100;
    private static final int GOOD_TABLE = 200;
    private static final long SEED = 0x5EED_0F_F0L;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void hundredThousandMutatedMessagesNeitherCrashNorHangNorDisturbAWellBehavedConnection() throws Exception {
        try (ShuntUnderTest shunt = ShuntUnderTest.start(tmp); OfTestClient good = new OfTestClient(shunt.port())) {
            good.handshake(OFVersion.OF_13);
            OFFactory f = good.factory();
            for (int i = 0; i < GOOD_FLOWS; i++) {
                good.send(f.buildFlowAdd().setTableId(TableId.of(GOOD_TABLE)).setPriority(1000).setCookie(U64.of(0xC0FFEE00L + i))
                        .setMatch(f.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4)
                                .setExact(MatchField.IPV4_SRC, IPv4Address.of(0x0B000000 + i)).build())
                        .setInstructions(List.of(f.instructions().applyActions(List.of(f.actions().output(OFPort.of(2), 0)))))
                        .build());
            }
            good.send(f.buildBarrierRequest().setXid(1).build());
            good.readUntil(OFBarrierReply.class);

            OfMessageMutator mutator = new OfMessageMutator(OFFactories.getFactory(OFVersion.OF_13), SEED);
            Map<OfMessageMutator.Mutation, Integer> byMutation = new EnumMap<>(OfMessageMutator.Mutation.class);
            OfMessageMutator.Mutation[] chosen = new OfMessageMutator.Mutation[1];
            AtomicLong errors = new AtomicLong();
            AtomicLong frames = new AtomicLong();
            int reconnects = 0;
            int lostFraming = 0;
            int goodChecks = 0;
            long start = System.nanoTime();
            HostileConnection hostile = new HostileConnection(shunt.port(), errors, frames);
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    byte[] msg = mutator.next(chosen);
                    byMutation.merge(chosen[0], 1, Integer::sum);
                    boolean intact = OfMessageMutator.framingIntact(msg);
                    boolean written = hostile.write(msg, !intact || i % 64 == 63);
                    if (!written || !intact) {
                        // A length that lies leaves no way for either side to find the next message:
                        // the switch either waits for the rest or reads the remainder as a header
                        // (and closes when that says < 8). Start over on a new connection.
                        lostFraming += intact ? 0 : 1;
                        hostile.close();
                        hostile = new HostileConnection(shunt.port(), errors, frames);
                        reconnects++;
                    }
                    if (i % 5000 == 4999) {
                        hostile.flush();
                        checkGoodConnection(good, 10_000 + i);
                        goodChecks++;
                    }
                }
                hostile.flush();
                hostile.waitQuiet();
            } finally {
                hostile.close();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            LOG.info("fuzz: {} messages {} in {} ms; {} frames received, {} OFPT_ERRORs, {} with lost framing, {} reconnections",
                    MESSAGES, byMutation, millis, frames.get(), errors.get(), lostFraming, reconnects);
            System.out.printf("FUZZ messages=%d errors=%d frames=%d lostFraming=%d reconnects=%d millis=%d mutations=%s%n",
                    MESSAGES, errors.get(), frames.get(), lostFraming, reconnects, millis, byMutation);

            assertEquals(MESSAGES / 5000, goodChecks);
            assertTrue(errors.get() > MESSAGES * 3 / 10, "malformed requests were answered with errors: " + errors.get());
            checkGoodConnection(good, 1);
            assertEquals(goodFlowCookies(), dumpTable(good, GOOD_TABLE), "the well-behaved connection's flows are intact");
            // And the switch still accepts new peers.
            try (OfTestClient late = new OfTestClient(shunt.port())) {
                late.handshake(OFVersion.OF_13);
                checkGoodConnection(late, 2);
            }
        }
    }

    private static void checkGoodConnection(OfTestClient c, long xid) throws IOException {
        c.send(c.factory().buildEchoRequest().setXid(xid).setData(new byte[] {7}).build());
        c.send(c.factory().buildBarrierRequest().setXid(xid + 1).build());
        assertEquals(xid, c.readUntil(OFEchoReply.class).getXid());
        assertEquals(xid + 1, c.readUntil(OFBarrierReply.class).getXid());
    }

    private static Set<Long> goodFlowCookies() {
        Set<Long> s = new TreeSet<>();
        for (int i = 0; i < GOOD_FLOWS; i++) {
            s.add(0xC0FFEE00L + i);
        }
        return s;
    }

    private static Set<Long> dumpTable(OfTestClient c, int table) throws IOException {
        OFFactory f = c.factory();
        c.send(f.buildFlowStatsRequest().setXid(3).setTableId(TableId.of(table)).setMatch(f.buildMatch().build())
                .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build());
        Set<Long> cookies = new TreeSet<>();
        OFFlowStatsReply r;
        do {
            r = c.readUntil(OFFlowStatsReply.class);
            for (OFFlowStatsEntry e : r.getEntries()) {
                cookies.add(e.getCookie().getValue());
            }
        } while (r.getFlags().contains(OFStatsReplyFlags.REPLY_MORE));
        return cookies;
    }

    /** The hostile peer: writes without waiting; a reader thread drains and counts what the switch answers. */
    private static final class HostileConnection {
        private final Socket socket;
        private final OutputStream out;
        private final Thread reader;
        private volatile long lastFrameNanos = System.nanoTime();

        HostileConnection(int port, AtomicLong errors, AtomicLong frames) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 << 10);
            InputStream in = socket.getInputStream();
            reader = Thread.ofPlatform().daemon().name("fuzz-reader").start(() -> {
                try {
                    while (true) {
                        byte[] header = in.readNBytes(8);
                        if (header.length < 8) {
                            return;
                        }
                        int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
                        if (length < 8 || in.readNBytes(length - 8).length < length - 8) {
                            return;
                        }
                        frames.incrementAndGet();
                        if (header[1] == 1) {
                            errors.incrementAndGet();
                        }
                        lastFrameNanos = System.nanoTime();
                    }
                } catch (IOException e) {
                    // connection closed by the switch after lost framing
                }
            });
            OFFactory f13 = OFFactories.getFactory(OFVersion.OF_13);
            write(OfMessageMutator.encode(f13.buildHello().setXid(0).build()), true);
        }

        boolean write(byte[] msg, boolean flush) {
            try {
                out.write(msg);
                if (flush) {
                    out.flush();
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                // the next write reconnects
            }
        }

        /** Waits until the switch has answered everything it is going to answer (no frame for 500 ms). */
        void waitQuiet() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (reader.isAlive() && System.nanoTime() - lastFrameNanos < TimeUnit.MILLISECONDS.toNanos(500)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the switch kept answering for 30 s after the last hostile message");
                }
                Thread.sleep(50);
            }
        }

        /**
         * Half-closes, then reads whatever the switch still answers until it closes too, so that
         * every answer to this connection's messages is counted.
         */
        void close() throws IOException {
            try {
                out.flush();
                socket.shutdownOutput();
                reader.join(10_000);
                if (reader.isAlive()) {
                    throw new AssertionError("the switch did not close a half-closed connection within 10 s");
                }
            } catch (IOException e) {
                // already reset by the switch
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                socket.close();
            }
        }
    }
}
