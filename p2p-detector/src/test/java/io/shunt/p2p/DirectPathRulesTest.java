package io.shunt.p2p;

import io.shunt.p2p.model.Action;
import io.shunt.p2p.model.FlowEntry;
import io.shunt.p2p.model.Instructions;
import io.shunt.p2p.model.MatchSummary;
import io.shunt.p2p.model.PortNumbers;
import io.shunt.p2p.model.PortView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One case per rule of the definition (DESIGN section 4.1, docs/p2p-detector.md). */
class DirectPathRulesTest {

    private static final int A = 1;
    private static final int B = 2;
    private static final int C = 3;

    private final List<DirectPathEvent> events = new ArrayList<>();
    private DirectPathDetector detector;
    private long nextId = 100;

    @BeforeEach
    void threeVnfPortsInOneDomain() {
        detector = new DirectPathDetector(events::add);
        for (int p : new int[] {A, B, C}) {
            detector.portUpdated(new PortView(p, true, "red", true));
        }
        events.clear();
    }

    private FlowEntry add(int table, int priority, MatchSummary match, Instructions ins) {
        FlowEntry e = FlowEntry.of(nextId++, table, priority, match, ins);
        detector.entryAdded(e);
        return e;
    }

    private FlowEntry addInPort(int inPort, int priority, Instructions ins) {
        return add(0, priority, MatchSummary.inPort(inPort), ins);
    }

    private List<DirectPathEvent> drain() {
        List<DirectPathEvent> out = List.copyOf(events);
        events.clear();
        return out;
    }

    private void assertPath(int from, int to, FlowEntry... carrier) {
        DirectPath p = detector.pathFrom(from).orElseThrow(() -> new AssertionError(
                "no path from " + from + ": " + detector.explain(from)));
        assertEquals(to, p.to());
        assertEquals(List.of(carrier), p.carrier().entries());
        assertEquals(PathVerdict.DIRECT_PATH, detector.explain(from));
    }

    private void assertNoPath(int from, PathVerdict why) {
        assertTrue(detector.pathFrom(from).isEmpty(), () -> "unexpected " + detector.pathFrom(from));
        assertEquals(why, detector.explain(from));
    }

    /** A⇒B is up through {@code base}, then {@code breaker} is added and must end it for {@code why}. */
    private void assertBreaks(Instructions breaker, PathVerdict why) {
        FlowEntry carrier = addInPort(A, 10, Instructions.output(B));
        assertPath(A, B, carrier);
        drain();
        detector.entryModified(new FlowEntry(carrier.id(), 0, 10, carrier.match(), breaker, 0, 0));
        assertNoPath(A, why);
        List<DirectPathEvent> ev = drain();
        assertEquals(1, ev.size(), ev::toString);
        DirectPathEvent.Down down = (DirectPathEvent.Down) ev.getFirst();
        assertEquals(A, down.from());
        assertEquals(B, down.to());
        assertEquals(EndReason.of(why), down.reason());
        assertEquals(carrier.id(), down.lastCarrier().first().id());
    }

    @Nested
    class Match {
        @Test
        void inPortMatchWithOnlyAnOutputIsADirectPath() {
            FlowEntry e = addInPort(A, 10, Instructions.output(B));
            assertPath(A, B, e);
            assertEquals(List.of(new DirectPathEvent.Up(A, B, detector.pathFrom(A).orElseThrow().carrier(), false)), drain());
        }

        @Test
        void fullyWildcardedEntryIsADirectPathForEveryOtherPort() {
            FlowEntry e = add(0, 0, MatchSummary.all(), Instructions.output(B));
            assertPath(A, B, e);
            assertPath(C, B, e);
            assertNoPath(B, PathVerdict.OUTPUT_TO_IN_PORT);
            assertEquals(2, drain().size());
        }

        @Test
        void anyOtherMatchedFieldIsNotADirectPath() {
            add(0, 10, MatchSummary.inPortAndOtherFields(A), Instructions.output(B));
            assertNoPath(A, PathVerdict.OVERLAPPING_ENTRY);
            assertTrue(drain().isEmpty());
        }

        @Test
        void metadataMatchInTableZeroIsDecidedBecauseMetadataStartsAtZero() {
            FlowEntry zero = add(0, 10, MatchSummary.inPort(A).withMetadata(0, 0xff), Instructions.output(B));
            assertPath(A, B, zero);
            // metadata=1 can never match in table 0: it neither carries nor breaks anything.
            add(0, 20, MatchSummary.inPort(A).withMetadata(1, 0xff), Instructions.output(C));
            assertPath(A, B, zero);
        }

        @Test
        void metadataMatchInLaterTableIsTreatedAsAnotherField() {
            add(0, 10, MatchSummary.inPort(A), Instructions.gotoTable(1).withWriteMetadata());
            add(1, 10, MatchSummary.all().withMetadata(0, 0xff), Instructions.output(B));
            assertNoPath(A, PathVerdict.OVERLAPPING_ENTRY);
        }
    }

    @Nested
    class Overlap {
        @Test
        void higherPriorityOverlappingEntryOnTheSamePortBreaksThePath() {
            FlowEntry carrier = addInPort(A, 10, Instructions.output(B));
            drain();
            FlowEntry overlap = add(0, 20, MatchSummary.inPortAndOtherFields(A), Instructions.output(C));
            assertNoPath(A, PathVerdict.OVERLAPPING_ENTRY);
            assertEquals(EndReason.OVERLAPPING_ENTRY, ((DirectPathEvent.Down) drain().getFirst()).reason());
            detector.entryRemoved(overlap.id());
            assertPath(A, B, carrier);
            assertEquals(1, drain().size());
        }

        @Test
        void higherPriorityWildcardOverlapBreaksThePathOfEveryPort() {
            addInPort(A, 10, Instructions.output(B));
            addInPort(B, 10, Instructions.output(A));
            drain();
            add(0, 11, MatchSummary.inPortAndOtherFields(null), Instructions.output(C));
            assertNoPath(A, PathVerdict.OVERLAPPING_ENTRY);
            assertNoPath(B, PathVerdict.OVERLAPPING_ENTRY);
            List<DirectPathEvent> ev = drain();
            assertEquals(List.of(
                    new DirectPathEvent.Down(A, B, ((DirectPathEvent.Down) ev.get(0)).lastCarrier(), EndReason.OVERLAPPING_ENTRY, true),
                    new DirectPathEvent.Down(B, A, ((DirectPathEvent.Down) ev.get(1)).lastCarrier(), EndReason.OVERLAPPING_ENTRY, true)), ev);
        }

        @Test
        void equalPriorityOverlapBreaksThePathEvenWithTheSameEffect() {
            addInPort(A, 10, Instructions.output(B));
            add(0, 10, MatchSummary.all(), Instructions.output(B));
            assertNoPath(A, PathVerdict.OVERLAPPING_ENTRY);
        }

        @Test
        void lowerPriorityEntriesDoNotMatter() {
            FlowEntry carrier = addInPort(A, 10, Instructions.output(B));
            drain();
            add(0, 9, MatchSummary.inPortAndOtherFields(A), Instructions.output(C));
            add(0, 0, MatchSummary.all(), Instructions.apply(new Action.Output(PortNumbers.CONTROLLER)));
            assertPath(A, B, carrier);
            assertTrue(drain().isEmpty());
        }

        @Test
        void overlapOnAnotherInPortDoesNotBreakThePath() {
            FlowEntry carrier = addInPort(A, 10, Instructions.output(B));
            drain();
            add(0, 50, MatchSummary.inPortAndOtherFields(C), Instructions.output(B));
            assertPath(A, B, carrier);
            assertTrue(drain().isEmpty());
        }

        @Test
        void higherPriorityFullMatchWithSameEffectChangesOnlyTheCarrier() {
            FlowEntry low = addInPort(A, 10, Instructions.output(B));
            drain();
            FlowEntry high = add(0, 20, MatchSummary.all(), Instructions.write(new Action.Output(B)));
            assertPath(A, B, high);
            List<DirectPathEvent> ev = drain();
            DirectPathEvent.CarrierChanged changed = (DirectPathEvent.CarrierChanged) ev.getFirst();
            assertEquals(low.id(), changed.before().first().id());
            assertEquals(high.id(), changed.after().first().id());
            // high also makes C⇒B: that one is new.
            assertEquals(new DirectPathEvent.Up(C, B, changed.after(), false), ev.get(1));
        }
    }

    @Nested
    class Effects {
        @Test
        void writeActionsWithOneOutputIsADirectPath() {
            FlowEntry e = addInPort(A, 10, Instructions.write(new Action.Output(B)));
            assertPath(A, B, e);
        }

        @Test
        void setFieldBreaksThePath() {
            assertBreaks(Instructions.apply(new Action.Modify("set_field:eth_dst"), new Action.Output(B)),
                    PathVerdict.NOT_A_PLAIN_OUTPUT);
        }

        @Test
        void pushVlanInTheActionSetBreaksThePath() {
            assertBreaks(Instructions.write(new Action.Modify("push_vlan"), new Action.Output(B)), PathVerdict.NOT_A_PLAIN_OUTPUT);
        }

        @Test
        void groupBreaksThePath() {
            assertBreaks(Instructions.apply(new Action.Group(7)), PathVerdict.NOT_A_PLAIN_OUTPUT);
        }

        @Test
        void meterInstructionBreaksThePath() {
            assertBreaks(Instructions.output(B).withMeter(), PathVerdict.NOT_A_PLAIN_OUTPUT);
        }

        @Test
        void meterActionBreaksThePath() {
            assertBreaks(Instructions.apply(new Action.Meter(1), new Action.Output(B)), PathVerdict.NOT_A_PLAIN_OUTPUT);
        }

        @Test
        void outputToControllerBreaksThePath() {
            assertBreaks(Instructions.apply(new Action.Output(B), new Action.Output(PortNumbers.CONTROLLER)),
                    PathVerdict.NOT_A_PLAIN_OUTPUT);
        }

        @Test
        void secondOutputBreaksThePath() {
            assertBreaks(Instructions.apply(new Action.Output(B), new Action.Output(C)), PathVerdict.NOT_A_PLAIN_OUTPUT);
        }

        @Test
        void applyOutputPlusActionSetOutputIsASecondOutput() {
            assertBreaks(new Instructions(false, List.of(new Action.Output(B)), false, List.of(new Action.Output(B)),
                    false, Instructions.NO_GOTO, false), PathVerdict.NOT_A_PLAIN_OUTPUT);
        }

        @Test
        void dropBreaksThePath() {
            assertBreaks(Instructions.drop(), PathVerdict.NOT_A_PLAIN_OUTPUT);
        }

        @Test
        void outputToAReservedPortBreaksThePath() {
            for (int reserved : new int[] {PortNumbers.LOCAL, PortNumbers.ALL, PortNumbers.FLOOD, PortNumbers.NORMAL,
                    PortNumbers.IN_PORT, 0xffffff01}) {
                threeVnfPortsInOneDomain();
                assertBreaks(Instructions.output(reserved), PathVerdict.NOT_A_PLAIN_OUTPUT);
            }
        }

        @Test
        void unknownInstructionBreaksThePath() {
            assertBreaks(Instructions.output(B).withOtherInstruction(), PathVerdict.NOT_A_PLAIN_OUTPUT);
        }

        @Test
        void otherActionBreaksThePath() {
            assertBreaks(Instructions.apply(new Action.Other("set_queue:1"), new Action.Output(B)), PathVerdict.NOT_A_PLAIN_OUTPUT);
        }

        @Test
        void outputToTheIngressPortIsNeverAPath() {
            addInPort(A, 10, Instructions.output(A));
            assertNoPath(A, PathVerdict.OUTPUT_TO_IN_PORT);
        }
    }

    @Nested
    class Chains {
        @Test
        void gotoTableChainWhoseDecisiveEntryOutputsIsADirectPath() {
            FlowEntry first = addInPort(A, 10, Instructions.gotoTable(3).withWriteMetadata());
            FlowEntry last = add(3, 0, MatchSummary.all(), Instructions.output(B));
            assertPath(A, B, first, last);
        }

        @Test
        void outputInTheActionSetSurvivesUntilTheEndOfTheChain() {
            FlowEntry first = add(0, 10, MatchSummary.inPort(A),
                    new Instructions(false, List.of(), false, List.of(new Action.Output(B)), false, 1, false));
            FlowEntry last = add(1, 10, MatchSummary.inPort(A), Instructions.drop());
            assertPath(A, B, first, last);
        }

        @Test
        void clearActionsLaterInTheChainCleansTheActionSet() {
            FlowEntry first = add(0, 10, MatchSummary.inPort(A),
                    new Instructions(false, List.of(), false, List.of(new Action.Modify("dec_ttl")), false, 1, false));
            FlowEntry last = add(1, 10, MatchSummary.all(),
                    new Instructions(false, List.of(), true, List.of(new Action.Output(B)), false, Instructions.NO_GOTO, false));
            assertPath(A, B, first, last);
        }

        @Test
        void modificationEarlierInTheChainBreaksThePath() {
            add(0, 10, MatchSummary.inPort(A),
                    new Instructions(false, List.of(new Action.Modify("pop_vlan")), false, List.of(), false, 1, false));
            add(1, 10, MatchSummary.all(), Instructions.output(B));
            assertNoPath(A, PathVerdict.NOT_A_PLAIN_OUTPUT);
        }

        @Test
        void tableMissInALaterTableDropsTheTraffic() {
            FlowEntry first = addInPort(A, 10, Instructions.gotoTable(2));
            assertNoPath(A, PathVerdict.NO_MATCHING_ENTRY);
            FlowEntry last = add(2, 0, MatchSummary.all(), Instructions.output(B));
            assertPath(A, B, first, last);
            drain();
            detector.entryRemoved(last.id());
            assertNoPath(A, PathVerdict.NO_MATCHING_ENTRY);
            assertEquals(EndReason.NO_MATCHING_ENTRY, ((DirectPathEvent.Down) drain().getFirst()).reason());
        }

        @Test
        void overlapInALaterTableBreaksThePath() {
            addInPort(A, 10, Instructions.gotoTable(1));
            add(1, 0, MatchSummary.all(), Instructions.output(B));
            drain();
            add(1, 5, MatchSummary.inPortAndOtherFields(A), Instructions.output(C));
            assertNoPath(A, PathVerdict.OVERLAPPING_ENTRY);
            assertEquals(1, drain().size());
        }

        @Test
        void outputsOnTwoTablesAreTwoOutputs() {
            addInPort(A, 10, Instructions.apply(new Action.Output(B)).withGotoTable(1));
            add(1, 0, MatchSummary.all(), Instructions.output(B));
            assertNoPath(A, PathVerdict.NOT_A_PLAIN_OUTPUT);
        }
    }

    @Nested
    class TableMiss {
        @Test
        void emptyTableZeroDropsEverything() {
            assertNoPath(A, PathVerdict.NO_MATCHING_ENTRY);
        }

        @Test
        void tableMissEntryCarriesWhenNothingElseMatches() {
            FlowEntry miss = add(0, 0, MatchSummary.all(), Instructions.output(C));
            FlowEntry own = addInPort(B, 10, Instructions.output(A));
            assertPath(A, C, miss);
            assertPath(B, A, own);
        }

        @Test
        void tableMissToControllerIsNotADirectPath() {
            add(0, 0, MatchSummary.all(), Instructions.output(PortNumbers.CONTROLLER));
            assertNoPath(A, PathVerdict.NOT_A_PLAIN_OUTPUT);
        }
    }

    @Nested
    class Ports {
        @Test
        void theLocalPortIsNeverAnEndpointEvenWhenReportedAsAVnfPortOfTheDomain() {
            // vswitchd reports the bridge's LOCAL port (its internal port) as not dpdkr; even if it were,
            // a reserved number is a rule of the switch, never one VNF.
            int local = PortNumbers.LOCAL;
            detector.portUpdated(new PortView(local, true, "red", true));
            addInPort(A, 10, Instructions.output(local));
            add(0, 10, MatchSummary.inPort(local), Instructions.output(B));
            assertNoPath(A, PathVerdict.NOT_A_PLAIN_OUTPUT);
            assertNoPath(local, PathVerdict.SOURCE_NOT_DPDKR);
            assertTrue(drain().isEmpty());
        }

        @Test
        void nonDpdkrPortsNeverQualifyAsSourceOrTarget() {
            detector.portUpdated(new PortView(C, false, "red", true));
            addInPort(A, 10, Instructions.output(C));
            addInPort(C, 10, Instructions.output(A));
            assertNoPath(A, PathVerdict.TARGET_NOT_DPDKR);
            assertNoPath(C, PathVerdict.SOURCE_NOT_DPDKR);
            assertTrue(drain().isEmpty());
        }

        @Test
        void portsInAnotherTrustDomainNeverQualify() {
            addInPort(A, 10, Instructions.output(B));
            drain();
            detector.portUpdated(new PortView(B, true, "blue", true));
            assertNoPath(A, PathVerdict.TARGET_OTHER_TRUST_DOMAIN);
            assertEquals(EndReason.TARGET_OTHER_TRUST_DOMAIN, ((DirectPathEvent.Down) drain().getFirst()).reason());
        }

        @Test
        void portDownEndsThePathAndPortUpRestoresIt() {
            FlowEntry e = addInPort(A, 10, Instructions.output(B));
            drain();
            detector.portUpdated(new PortView(B, true, "red", false));
            assertNoPath(A, PathVerdict.TARGET_PORT_DOWN);
            detector.portUpdated(new PortView(B, true, "red", true));
            assertPath(A, B, e);
            detector.portUpdated(new PortView(A, true, "red", false));
            assertNoPath(A, PathVerdict.SOURCE_PORT_DOWN);
            List<DirectPathEvent> ev = drain();
            assertEquals(3, ev.size(), ev::toString);
            assertEquals(EndReason.TARGET_PORT_DOWN, ((DirectPathEvent.Down) ev.get(0)).reason());
            assertEquals(B, ((DirectPathEvent.Up) ev.get(1)).to());
            assertEquals(EndReason.SOURCE_PORT_DOWN, ((DirectPathEvent.Down) ev.get(2)).reason());
        }

        @Test
        void portDeletionEndsThePath() {
            addInPort(A, 10, Instructions.output(B));
            addInPort(B, 10, Instructions.output(A));
            drain();
            detector.portRemoved(B);
            assertNoPath(A, PathVerdict.TARGET_PORT_REMOVED);
            assertNoPath(B, PathVerdict.SOURCE_PORT_REMOVED);
            List<DirectPathEvent> ev = drain();
            assertEquals(List.of(EndReason.TARGET_PORT_REMOVED, EndReason.SOURCE_PORT_REMOVED),
                    ev.stream().map(d -> ((DirectPathEvent.Down) d).reason()).toList());
            assertTrue(((DirectPathEvent.Down) ev.getFirst()).wasPaired());
        }

        @Test
        void portNumbersAreUnsigned() {
            int high = 0xfffffe00; // a valid port number, negative as a Java int
            detector.portUpdated(new PortView(high, true, "red", true));
            drain();
            FlowEntry there = add(0, 10, MatchSummary.inPort(high), Instructions.output(A));
            FlowEntry back = addInPort(A, 10, Instructions.output(high));
            assertPath(high, A, there);
            assertPath(A, high, back);
            assertTrue(detector.isPair(A, high));
            assertEquals(List.of(A, high), detector.paths().stream().map(DirectPath::from).toList());
            drain();
            detector.portUpdated(new PortView(A, true, "red", false));
            List<DirectPathEvent> ev = drain();
            assertEquals(List.of(A, high), ev.stream().map(DirectPathEvent::from).toList(), ev::toString);
        }

        @Test
        void entriesForAPortThatIsNotThereYetCountOnceItIsAdded() {
            FlowEntry e = add(0, 10, MatchSummary.inPort(7), Instructions.output(A));
            assertTrue(drain().isEmpty());
            detector.portUpdated(new PortView(7, true, "red", true));
            assertPath(7, A, e);
        }
    }

    @Nested
    class Api {
        @Test
        void pairIsReportedWhenBothDirectionsHold() {
            addInPort(A, 10, Instructions.output(B));
            assertFalse(detector.isPair(A, B));
            addInPort(B, 10, Instructions.output(A));
            assertTrue(detector.isPair(A, B));
            assertTrue(detector.isPair(B, A));
            List<DirectPathEvent> ev = drain();
            assertFalse(((DirectPathEvent.Up) ev.get(0)).paired());
            assertTrue(((DirectPathEvent.Up) ev.get(1)).paired());
            List<DirectPathPair> pairs = detector.pairs();
            assertEquals(1, pairs.size());
            assertEquals(A, pairs.getFirst().forward().from());
            assertEquals(B, pairs.getFirst().reverse().from());
            assertEquals(detector.pathFrom(A).orElseThrow().carrier(), detector.carrierOf(A, B).orElseThrow());
            assertTrue(detector.carrierOf(A, C).isEmpty());
        }

        @Test
        void changeOfTargetIsADownThenAnUp() {
            FlowEntry e = addInPort(A, 10, Instructions.output(B));
            drain();
            detector.entryModified(new FlowEntry(e.id(), 0, 10, e.match(), Instructions.output(C), 0, 0));
            List<DirectPathEvent> ev = drain();
            assertEquals(2, ev.size());
            assertEquals(EndReason.TARGET_CHANGED, ((DirectPathEvent.Down) ev.get(0)).reason());
            assertEquals(C, ((DirectPathEvent.Up) ev.get(1)).to());
        }

        @Test
        void batchJudgesOnlyTheFinalState() {
            FlowEntry e = addInPort(A, 10, Instructions.output(B));
            drain();
            FlowEntry replacement;
            try (var batch = detector.batch()) {
                detector.entryRemoved(e.id());
                replacement = addInPort(A, 10, Instructions.output(B));
                assertTrue(events.isEmpty());
            }
            List<DirectPathEvent> ev = drain();
            assertEquals(1, ev.size(), ev::toString);
            assertEquals(replacement.id(), ((DirectPathEvent.CarrierChanged) ev.getFirst()).after().first().id());
        }

        @Test
        void carrierModifiedInPlaceRaisesNoEventButShowsTheNewEntry() {
            FlowEntry e = addInPort(A, 10, Instructions.output(B));
            drain();
            FlowEntry modified = new FlowEntry(e.id(), 0, 10, e.match(), Instructions.write(new Action.Output(B)), 0, 0);
            detector.entryModified(modified);
            assertTrue(drain().isEmpty());
            assertPath(A, B, modified);
        }

        @Test
        void badChangesAreRejectedAndChangeNothing() {
            FlowEntry e = addInPort(A, 10, Instructions.output(B));
            drain();
            IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                    () -> detector.entryAdded(FlowEntry.of(e.id(), 0, 20, MatchSummary.all(), Instructions.drop())));
            assertTrue(dup.getMessage().contains("already present"), dup.getMessage());
            assertThrows(IllegalArgumentException.class, () -> detector.entryRemoved(999));
            assertThrows(IllegalArgumentException.class,
                    () -> detector.entryModified(FlowEntry.of(999, 0, 20, MatchSummary.all(), Instructions.drop())));
            assertPath(A, B, e);
            assertEquals(1, detector.entryCount());
            assertTrue(drain().isEmpty());
        }

        @Test
        void listenerFailureStillDeliversEveryEventAndKeepsTheState() {
            List<DirectPathEvent> seen = new ArrayList<>();
            DirectPathDetector failing = new DirectPathDetector(e -> {
                seen.add(e);
                throw new IllegalStateException("consumer broke on " + e);
            });
            for (int p : new int[] {A, B}) {
                failing.portUpdated(new PortView(p, true, "red", true));
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                try (var batch = failing.batch()) {
                    failing.entryAdded(FlowEntry.of(1, 0, 10, MatchSummary.inPort(A), Instructions.output(B)));
                    failing.entryAdded(FlowEntry.of(2, 0, 10, MatchSummary.inPort(B), Instructions.output(A)));
                }
            });
            assertTrue(e.getMessage().contains("listener failed on up 1⇒2"), e.getMessage());
            assertEquals(1, e.getSuppressed().length);
            assertEquals(2, seen.size());
            assertTrue(failing.isPair(A, B));
        }

        @Test
        void modelRejectsBackwardGotoAndOutOfRangeFields() {
            IllegalArgumentException back = assertThrows(IllegalArgumentException.class,
                    () -> FlowEntry.of(1, 3, 10, MatchSummary.all(), Instructions.gotoTable(2)));
            assertTrue(back.getMessage().contains("table 3") && back.getMessage().contains("goto-table 2"), back.getMessage());
            assertThrows(IllegalArgumentException.class, () -> FlowEntry.of(1, 255, 10, MatchSummary.all(), Instructions.drop()));
            assertThrows(IllegalArgumentException.class, () -> FlowEntry.of(1, 0, 65536, MatchSummary.all(), Instructions.drop()));
        }
    }
}
