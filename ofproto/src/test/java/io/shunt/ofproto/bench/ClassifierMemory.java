package io.shunt.ofproto.bench;

import io.shunt.ofproto.OpenFlowSwitch;
import io.shunt.ofproto.RecordingConnection;
import io.shunt.ofproto.SwitchConfig;
import io.shunt.ofproto.classifier.Classifier;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.datapath.SoftDatapath;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

/**
 * Heap bytes per entry, measured as the growth of the used heap after full
 * GCs: (1) the classifier alone with the benchmark's realistic rules, (2) a
 * whole OpenFlowSwitch holding FLOW_MODs as a controller sends them (Loxi
 * match and instructions included). Prints one JSON object on stdout. Not
 * a JMH benchmark: it measures space, not time.
 */
public final class ClassifierMemory {
    private ClassifierMemory() {}

    private static final class BareRule extends io.shunt.ofproto.classifier.ClassifierRule {
        BareRule(long[] value, long[] mask, int priority) {
            super(value, mask, priority);
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long before = usedAfterGc();
        Classifier c = new Classifier();
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            // A rule without the benchmark's per-rule key, so that only what the classifier keeps is counted.
            RealisticRules.Rule full = RealisticRules.rule(i, r);
            c.insert(new BareRule(full.valueWords(), full.maskWords(), full.priority()), 1);
        }
        long classifierBytes = usedAfterGc() - before;

        RecordingConnection conn = new RecordingConnection(OFVersion.OF_13);
        OFFactory f = conn.factory();
        SoftDatapath dp = new SoftDatapath(System::nanoTime);
        for (int p = 1; p <= 4; p++) dp.addPort(PortInfo.virtual(p, p, "p" + p));
        long before2 = usedAfterGc();
        OpenFlowSwitch sw = new OpenFlowSwitch(SwitchConfig.defaults(1).withMaxEntriesPerTable(1 << 24), dp);
        sw.connected(conn);
        for (int i = 0; i < n; i++) {
            sw.handle(f.buildFlowAdd().setTableId(TableId.of(0)).setPriority(100)
                    .setMatch(f.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4)
                            .setExact(MatchField.IPV4_DST, IPv4Address.of(i)).build())
                    .setInstructions(List.of(f.instructions().applyActions(List.of(f.actions().output(OFPort.of(2), 0)))))
                    .build(), conn);
        }
        long switchBytes = usedAfterGc() - before2;
        System.out.printf(Locale.ROOT,
                "{\"entries\":%d,\"classifier_bytes_per_rule\":%.1f,\"switch_bytes_per_flow_entry\":%.1f,\"subtables\":%d,"
                        + "\"classifier_index_bytes_per_rule\":%.1f}%n",
                n, (double) classifierBytes / n, (double) switchBytes / n, c.subtableCount(), (double) c.indexBytes() / n);
        if (c.size() != n || sw.flowTablesView().entryCount(0) != n) throw new IllegalStateException("lost entries");
    }
}
