package io.shunt.ofproto.bench;

import io.shunt.ofproto.OfErrorException;
import io.shunt.ofproto.OpenFlowSwitch;
import io.shunt.ofproto.RecordingConnection;
import io.shunt.ofproto.SwitchConfig;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.datapath.SoftDatapath;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

/**
 * FLOW_MOD handling by the switch, in process (no channel, no codec): add
 * of new rules one message each into a table that grows from empty, and
 * non-strict modify of one existing rule in a table of 100k rules (the
 * case OVS answers with a full table scan). The anchor is the strict modify
 * of the same rule.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
public class FlowModBench {
    private static final int TABLE = 100_000;
    private OpenFlowSwitch sw;
    private RecordingConnection conn;
    private OFFactory f;
    private OFFlowMod[] modifies;
    private OFFlowMod[] strictModifies;
    private int next;
    private int added;

    private OpenFlowSwitch newSwitch() {
        SoftDatapath dp = new SoftDatapath(System::nanoTime);
        for (int p = 1; p <= 4; p++) dp.addPort(PortInfo.virtual(p, p, "p" + p));
        OpenFlowSwitch s = new OpenFlowSwitch(SwitchConfig.defaults(1).withMaxEntriesPerTable(1 << 24), dp);
        s.connected(conn);
        return s;
    }

    private OFFlowMod add(int n, int out) {
        return f.buildFlowAdd().setTableId(TableId.of(0)).setPriority(100)
                .setMatch(f.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4)
                        .setExact(MatchField.IPV4_DST, IPv4Address.of(n)).build())
                .setInstructions(List.of(f.instructions().applyActions(List.of(f.actions().output(OFPort.of(out), 0)))))
                .build();
    }

    @Setup(Level.Trial)
    public void setUp() throws OfErrorException {
        conn = new RecordingConnection(OFVersion.OF_13);
        f = conn.factory();
        modifies = new OFFlowMod[TABLE];
        strictModifies = new OFFlowMod[TABLE];
        for (int n = 0; n < TABLE; n++) {
            var match = f.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4).setExact(MatchField.IPV4_DST, IPv4Address.of(n)).build();
            List<org.projectfloodlight.openflow.protocol.instruction.OFInstruction> ins = List.of(f.instructions().applyActions(List.of(f.actions().output(OFPort.of(1 + (n & 1) * 2), 0))));
            modifies[n] = f.buildFlowModify().setTableId(TableId.of(0)).setMatch(match).setInstructions(ins).build();
            strictModifies[n] = f.buildFlowModifyStrict().setTableId(TableId.of(0)).setPriority(100).setMatch(match)
                    .setInstructions(ins).build();
        }
    }

    @Setup(Level.Iteration)
    public void fill() throws OfErrorException {
        sw = newSwitch();
        for (int n = 0; n < TABLE; n++) sw.handle(add(n, 2), conn);
        added = TABLE;
        next = 0;
    }

    @Benchmark
    public void addOneFlowPerMessage() throws OfErrorException {
        sw.handle(add(added++, 2), conn);
    }

    @Benchmark
    public void modifyNonStrictAt100k() throws OfErrorException {
        sw.handle(modifies[next++ % TABLE], conn);
    }

    @Benchmark
    public void modifyStrictAnchor() throws OfErrorException {
        sw.handle(strictModifies[next++ % TABLE], conn);
    }
}
