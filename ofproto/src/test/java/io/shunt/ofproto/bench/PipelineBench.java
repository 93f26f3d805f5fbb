package io.shunt.ofproto.bench;

import io.shunt.ofproto.OfErrorException;
import io.shunt.ofproto.OpenFlowSwitch;
import io.shunt.ofproto.RecordingConnection;
import io.shunt.ofproto.SwitchConfig;
import io.shunt.ofproto.classifier.FlowKey;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.datapath.SoftDatapath;
import io.shunt.ofproto.flow.FlowTables;
import io.shunt.ofproto.flow.PipelineResult;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.*;

/**
 * One packet through the whole OpenFlow pipeline as the datapath runs it
 * ({@link FlowTables#run}): table 0 classifies by in_port and writes
 * metadata, goto table 1, which routes on IPv4 destination (100,000 host
 * routes) with write-actions, then the action set. Run with {@code -prof gc}
 * to see the allocation per packet (none is expected). The anchor is a
 * single-table lookup of the same packets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC"})
public class PipelineBench {
    private static final int ROUTES = 100_000;
    private static final int KEYS = 1 << 14;
    private FlowTables tables;
    private FlowTables single;
    private final PipelineResult out = new PipelineResult(254);
    private FlowKey[] keys;
    private int i;

    private static OpenFlowSwitch newSwitch(RecordingConnection conn) {
        SoftDatapath dp = new SoftDatapath(System::nanoTime);
        for (int p = 1; p <= 4; p++) dp.addPort(PortInfo.virtual(p, p, "p" + p));
        OpenFlowSwitch sw = new OpenFlowSwitch(SwitchConfig.defaults(1), dp);
        sw.connected(conn);
        return sw;
    }

    @Setup(Level.Trial)
    public void setUp() throws OfErrorException {
        RecordingConnection conn = new RecordingConnection(OFVersion.OF_13);
        OFFactory f = conn.factory();
        OpenFlowSwitch sw = newSwitch(conn);
        OpenFlowSwitch one = newSwitch(conn);
        for (int p = 1; p <= 4; p++) {
            sw.handle(f.buildFlowAdd().setTableId(TableId.of(0)).setPriority(10)
                    .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(p)).build())
                    .setInstructions(List.of(f.instructions().writeMetadata(U64.of(p), U64.of(0xff)),
                            f.instructions().gotoTable(TableId.of(1)))).build(), conn);
        }
        for (int n = 0; n < ROUTES; n++) {
            var match = f.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4)
                    .setExact(MatchField.IPV4_DST, IPv4Address.of(0x0a000000 + n)).build();
            var out = f.actions().output(OFPort.of(1 + (n & 3)), 0);
            sw.handle(f.buildFlowAdd().setTableId(TableId.of(1)).setPriority(100).setMatch(match)
                    .setInstructions(List.of(f.instructions().writeActions(List.of(out)))).build(), conn);
            one.handle(f.buildFlowAdd().setTableId(TableId.of(0)).setPriority(100).setMatch(match)
                    .setInstructions(List.of(f.instructions().applyActions(List.of(out)))).build(), conn);
        }
        tables = sw.flowTables();
        single = one.flowTables();
        keys = new FlowKey[KEYS];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int n = 0; n < KEYS; n++) {
            keys[n] = new FlowKey().inPort(1 + r.nextInt(4)).ethType(0x0800).ipv4Dst(0x0a000000 + r.nextInt(ROUTES))
                    .ipProto(17).tpDst(53);
        }
    }

    @Benchmark
    public int twoTablesWithGotoAndActionSet() {
        tables.run(keys[i++ & (KEYS - 1)], out);
        return out.actionCount();
    }

    @Benchmark
    public int singleTableAnchor() {
        single.run(keys[i++ & (KEYS - 1)], out);
        return out.actionCount();
    }
}
