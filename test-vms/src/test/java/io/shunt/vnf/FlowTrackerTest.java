package io.shunt.vnf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FlowTrackerTest {
    @Test
    void inOrderArrivalsCountNothingWrong() {
        FlowTracker t = new FlowTracker(4);
        for (long s = 0; s < 1000; s++) {
            t.record((int) (s % 4), s / 4);
        }
        assertEquals(1000, t.received());
        assertEquals(0, t.lost() + t.duplicated() + t.reordered());
        assertEquals(4, t.flowsSeen());
    }

    @Test
    void aGapIsLossUntilTheMissingPacketArrivesLate() {
        FlowTracker t = new FlowTracker(1);
        t.record(0, 0);
        t.record(0, 3);
        assertEquals(2, t.lost());
        t.record(0, 1);
        assertEquals(1, t.lost());
        assertEquals(1, t.reordered());
        t.record(0, 1);
        assertEquals(1, t.duplicated(), "seen already");
        t.record(0, 3);
        assertEquals(2, t.duplicated());
        assertEquals(1, t.lost(), "2 never came");
    }

    @Test
    void aPacketOlderThanTheWindowIsCountedLate() {
        FlowTracker t = new FlowTracker(1);
        t.record(0, 0);
        t.record(0, 200);
        t.record(0, 5);
        assertEquals(1, t.late());
        assertEquals(1, t.reordered());
        assertEquals(198, t.lost());
    }

    @Test
    void flowNumbersOutsideTheTableAreCountedNotUsed() {
        FlowTracker t = new FlowTracker(2);
        t.record(2, 0);
        t.record(-1, 0);
        t.record(0, -5);
        assertEquals(3, t.unknownFlows);
        assertEquals(0, t.received());
    }
}
