package io.shunt.vswitchd.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.datapath.pool.PacketBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A patch pair between two bridges, with a VNF's dpdkr port on each side (this test maps the
 * port and pool regions itself, as a VNF does): in one trust domain the buffer the sender
 * filled is the very buffer the receiver gets (same pool, same index: zero copy); in two
 * domains (the default) the receiver gets a copy in its own bridge's pool.
 */
@Timeout(180)
class TrustDomainPatchTest {
    private static final int FRAMES = 32;
    private static final long RECEIVE_TIMEOUT_NS = 10_000_000_000L;

    private SwitchHarness sw;

    /** One frame across the patch pair: the buffer index the sender filled and the one that arrived. */
    private record Crossing(long seq, int sentIndex, int receivedIndex) {
    }

    @BeforeEach
    void start() throws Exception {
        sw = new SwitchHarness();
        sw.startDaemon();
    }

    @AfterEach
    void stop() throws Exception {
        if (sw != null) {
            sw.close();
        }
    }

    @Test
    void inOneTrustDomainAPatchPairHandsTheSendersBufferItself() throws Exception {
        addBridge("br1");
        setTrustDomain("br0", "tenant-z");
        setTrustDomain("br1", "tenant-z");
        wire();
        TestVnf.Port v0 = TestVnf.Port.attach(sw.regionDir, "v0");
        TestVnf.Port v1 = TestVnf.Port.attach(sw.regionDir, "v1");
        assertEquals("shunt-pool-tenant-z", v0.region().poolName());
        assertEquals("shunt-pool-tenant-z", v1.region().poolName());
        assertEquals(v0.region().poolGeneration(), v1.region().poolGeneration(), "one pool, not two of one name");
        for (Crossing c : cross(v0, v1)) {
            assertEquals(c.sentIndex(), c.receivedIndex(), "frame " + c.seq() + " arrived in the buffer it was sent in");
        }
    }

    @Test
    void acrossTrustDomainsThePatchPairCopiesIntoThePeersPool() throws Exception {
        addBridge("br1");
        wire();
        TestVnf.Port v0 = TestVnf.Port.attach(sw.regionDir, "v0");
        TestVnf.Port v1 = TestVnf.Port.attach(sw.regionDir, "v1");
        assertEquals("shunt-pool-br0", v0.region().poolName());
        assertEquals("shunt-pool-br1", v1.region().poolName());
        List<Crossing> crossings = cross(v0, v1);
        // Each index is valid in its own pool only; what arrived is a copy (checked by content in cross).
        assertTrue(crossings.stream().allMatch(c -> v1.pool().isValidIndex(c.receivedIndex())), crossings::toString);
    }

    /**
     * br0: v0 (dpdkr, port 1) and pa (patch, port 2); br1: pb (patch, port 1) and v1 (dpdkr,
     * port 2); both secure with one flow each, so that v0's frames go to pa and pb's to v1 and
     * nowhere else (no flood to a second port, which would need a clone).
     */
    private void wire() throws Exception {
        String br1 = "unix:" + sw.runDir.resolve("br1.mgmt");
        sw.setFailMode("secure");
        ObjectNode fm = SwitchHarness.JSON.createObjectNode();
        fm.put("bridge", "br1");
        fm.put("mode", "secure");
        sw.rpc("set-fail-mode", fm);
        assertEquals(1, addPort("br0", "v0", null));
        assertEquals(2, addPort("br0", "pa", "pb"));
        assertEquals(1, addPort("br1", "pb", "pa"));
        assertEquals(2, addPort("br1", "v1", null));
        SwitchHarness.awaitIo("both bridges take flows", 20_000, () -> {
            try {
                sw.ofctl("add-flow", "in_port=1,actions=output:2");
                sw.ofctlAt(br1, "add-flow", "in_port=1,actions=output:2");
                return true;
            } catch (Exception | AssertionError e) {
                return false;
            }
        });
        SwitchHarness.awaitIo("both patch ends live", 10_000, () -> {
            try {
                return sw.ofctl("dump-ports-desc").matches("(?s).*\\(pa\\).*?state:\\s+LIVE.*")
                        && sw.ofctlAt(br1, "dump-ports-desc").matches("(?s).*\\(pb\\).*?state:\\s+LIVE.*");
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
    }

    /** Sends {@link #FRAMES} numbered frames on {@code from}, one at a time, each awaited on {@code to}. */
    private static List<Crossing> cross(TestVnf.Port from, TestVnf.Port to) {
        PacketBuffer out = from.pool().newBufferView();
        PacketBuffer in = to.pool().newBufferView();
        int[] one = new int[1];
        List<Crossing> crossings = new ArrayList<>();
        for (long seq = 0; seq < FRAMES; seq++) {
            assertEquals(1, from.pool().allocBurst(one, 0, 1), "a free buffer in " + from.region().poolName());
            int sent = one[0];
            out.wrapNew(sent);
            out.putShort(0, 0x0200).putInt(2, 0x00000002);
            out.putShort(6, 0x0200).putInt(8, 0x00000001);
            out.putShort(12, TestVnf.ETHERTYPE);
            out.putLong(14, 0x5eed_0000_0000_0000L | seq);
            for (int b = 22; b < TestVnf.FRAME; b += 2) {
                out.putShort(b, 0);
            }
            out.length(TestVnf.FRAME);
            assertEquals(1, from.tx().enqueueBurst(one, 0, 1), "v0's tx ring takes the frame");
            long deadline = System.nanoTime() + RECEIVE_TIMEOUT_NS;
            while (to.rx().dequeueBurst(one, 0, 1) == 0) {
                assertTrue(System.nanoTime() < deadline, "frame " + seq + " did not arrive on the other bridge within 10 s");
                Thread.onSpinWait();
            }
            int received = one[0];
            in.wrap(received);
            assertEquals(TestVnf.FRAME, in.length(), "frame " + seq + " length");
            assertEquals(0x5eed_0000_0000_0000L | seq, in.getLong(14), "frame " + seq + " content");
            to.pool().freeBurst(one, 0, 1);
            crossings.add(new Crossing(seq, sent, received));
        }
        return crossings;
    }

    private void addBridge(String name) throws IOException {
        ObjectNode br = SwitchHarness.JSON.createObjectNode();
        br.put("bridge", name);
        sw.rpc("add-br", br);
    }

    private void setTrustDomain(String bridge, String domain) throws IOException {
        ObjectNode p = SwitchHarness.JSON.createObjectNode();
        p.put("bridge", bridge);
        p.put("domain", domain);
        sw.rpc("set-trust-domain", p);
    }

    private int addPort(String bridge, String name, String patchPeer) throws IOException {
        ObjectNode p = SwitchHarness.JSON.createObjectNode();
        p.put("bridge", bridge);
        p.put("port", name);
        if (patchPeer != null) {
            p.put("type", "patch");
            p.putObject("options").put("peer", patchPeer);
        }
        return sw.rpc("add-port", p).get("ofport").asInt();
    }
}
