package io.shunt.datapath.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MacLearningTableTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void learnedAddressIsFoundUntilItAgesOut() {
        MacLearningTable t = new MacLearningTable(64, 300 * SECOND);
        long now = 1_000 * SECOND;
        t.learn(0x020000000001L, 5, now);
        assertEquals(5, t.lookup(0x020000000001L, now + SECOND));
        assertEquals(-1, t.lookup(0x020000000002L, now));
        assertEquals(-1, t.lookup(0x020000000001L, now + 301 * SECOND));
    }

    @Test
    void aMovedAddressFollowsItsNewPort() {
        MacLearningTable t = new MacLearningTable(64, 300 * SECOND);
        t.learn(0x020000000001L, 5, 10 * SECOND);
        t.learn(0x020000000001L, 7, 20 * SECOND);
        assertEquals(7, t.lookup(0x020000000001L, 21 * SECOND));
    }

    @Test
    void groupAddressesAreNeverLearned() {
        MacLearningTable t = new MacLearningTable(64, 300 * SECOND);
        t.learn(0xffffffffffffL, 3, SECOND);
        t.learn(0x01005e000001L, 3, SECOND);
        assertEquals(-1, t.lookup(0xffffffffffffL, SECOND));
        assertEquals(-1, t.lookup(0x01005e000001L, SECOND));
    }

    @Test
    void forgettingAPortForgetsItsAddresses() {
        MacLearningTable t = new MacLearningTable(64, 300 * SECOND);
        t.learn(0x020000000001L, 3, SECOND);
        t.learn(0x020000000002L, 4, SECOND);
        t.forgetPort(3);
        assertEquals(-1, t.lookup(0x020000000001L, SECOND));
        assertEquals(4, t.lookup(0x020000000002L, SECOND));
    }
}
