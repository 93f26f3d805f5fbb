package io.shunt.ofproto.flow;

import static org.junit.jupiter.api.Assertions.*;

import io.shunt.ofproto.SwitchFixture;
import io.shunt.ofproto.classifier.FlowKey;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.*;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.*;

/**
 * A datapath thread classifying packets while bundles rewrite two tables
 * that depend on each other never sees one table's new version with the
 * other's old one: each commit is one published version.
 */
class AtomicCommitTest {

    @Test
    void concurrentLookupsNeverSeeAHalfAppliedBundle() throws Exception {
        SwitchFixture s = new SwitchFixture(OFVersion.OF_14);
        OFFactory f = s.f;
        java.util.Set<OFBundleFlags> flags = java.util.Set.of(OFBundleFlags.ATOMIC);
        s.ok(s.add(10, s.inPort(1), List.of(f.instructions().writeMetadata(U64.of(0), U64.of(0xffff)),
                f.instructions().gotoTable(TableId.of(1)))).build());
        s.ok(s.add(10, s.match().setMasked(MatchField.METADATA, OFMetadata.ofRaw(0), OFMetadata.ofRaw(0xffff)).build(),
                s.apply(s.out(2))).setTableId(TableId.of(1)).build());

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong runs = new AtomicLong();
        AtomicLong broken = new AtomicLong();
        Thread reader = new Thread(() -> {
            FlowKey key = new FlowKey().inPort(1);
            PipelineResult out = new PipelineResult(254);
            while (!stop.get()) {
                s.sw.flowTables().run(key, out);
                if (out.missTable() >= 0 || out.actionCount() != 1) broken.incrementAndGet();
                runs.incrementAndGet();
            }
        }, "pmd-like-reader");
        reader.start();
        try {
            int commits = 1500;
            for (int i = 1; i <= commits; i++) {
                int id = i;
                s.ok(f.buildBundleCtrlMsg().setBundleId(BundleId.of(id)).setBundleCtrlType(OFBundleCtrlType.OPEN_REQUEST)
                        .setFlags(flags).setProperties(List.of()).build());
                OFFlowMod t0 = f.buildFlowModifyStrict().setXid(1).setTableId(TableId.of(0)).setPriority(10).setMatch(s.inPort(1))
                        .setInstructions(List.of(f.instructions().writeMetadata(U64.of(id), U64.of(0xffff)),
                                f.instructions().gotoTable(TableId.of(1)))).build();
                OFFlowMod t1add = s.add(10, s.match().setMasked(MatchField.METADATA, OFMetadata.ofRaw(id), OFMetadata.ofRaw(0xffff)).build(),
                        s.apply(s.out(2))).setTableId(TableId.of(1)).setXid(2).build();
                OFFlowMod t1del = f.buildFlowDeleteStrict().setXid(3).setTableId(TableId.of(1)).setPriority(10)
                        .setMatch(s.match().setMasked(MatchField.METADATA, OFMetadata.ofRaw(id - 1), OFMetadata.ofRaw(0xffff)).build()).build();
                // Delete the old table-1 entry first: a non-atomic apply would open a window with no match at all.
                for (OFFlowMod m : List.of(t1del, t0, t1add)) {
                    s.ok(f.buildBundleAddMsg().setBundleId(BundleId.of(id)).setFlags(flags).setData(m).build());
                }
                s.ok(f.buildBundleCtrlMsg().setBundleId(BundleId.of(id)).setBundleCtrlType(OFBundleCtrlType.COMMIT_REQUEST)
                        .setFlags(flags).setProperties(List.of()).build());
                s.conn.take();
            }
            // Let the reader overlap the last commits too.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            while (System.nanoTime() < until && runs.get() < 1000) Thread.onSpinWait();
        } finally {
            stop.set(true);
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertFalse(reader.isAlive());
        assertTrue(runs.get() > 0);
        assertEquals(0, broken.get(), "lookups that saw a half-applied bundle, out of " + runs.get());
        assertEquals(1, s.count(1));
    }
}
