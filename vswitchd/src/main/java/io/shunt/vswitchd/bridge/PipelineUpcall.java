package io.shunt.vswitchd.bridge;

import io.shunt.datapath.engine.ActionProgram;
import io.shunt.datapath.engine.DpAction;
import io.shunt.datapath.engine.DropReason;
import io.shunt.datapath.engine.FlowCredit;
import io.shunt.datapath.engine.Megaflow;
import io.shunt.datapath.engine.MissHandler;
import io.shunt.datapath.flow.FlowField;
import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.FlowMask;
import io.shunt.ofproto.datapath.DatapathHost;
import io.shunt.ofproto.datapath.FrameParser;
import io.shunt.ofproto.datapath.PacketIn;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.flow.FlowCounters;
import io.shunt.ofproto.flow.FlowEntry;
import io.shunt.ofproto.flow.FlowTable;
import io.shunt.ofproto.flow.PipelineResult;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortConfig;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The upcall of one PMD thread: classifies a missed packet through the OpenFlow pipeline
 * ({@code FlowTables.run}, lock-free) and turns the result into a megaflow.
 *
 * <p>The packet's OpenFlow key is converted from the key the PMD already parsed
 * ({@link UpcallKey}) for the packet shapes where that gives exactly what ofproto's own
 * parser would; any other packet is copied into a per-PMD scratch array and parsed by
 * ofproto's {@code FrameParser}, so OpenFlow match semantics stay ofproto's alone. The
 * examined-bits mask is mapped back onto the datapath key by {@link MegaflowMasks}.
 */
final class PipelineUpcall implements MissHandler {
    private final DatapathHost host;
    private final ActionTranslator translator;
    private final IntFunction<PortInfo> ports;
    private final byte[] scratch = new byte[65_536];
    private final io.shunt.ofproto.classifier.FlowKey ofKey = new io.shunt.ofproto.classifier.FlowKey();
    private final PipelineResult result;

    PipelineUpcall(DatapathHost host, ActionTranslator translator, IntFunction<PortInfo> ports) {
        this.host = host;
        this.translator = translator;
        this.ports = ports;
        this.result = new PipelineResult(host.flowTables().tableCount());
    }

    @Override
    public Megaflow classify(FlowKey key, MemorySegment segment, long offset, int length, int inPort) {
        PortInfo in = ports.apply(inPort);
        if (in != null && (in.config().contains(OFPortConfig.NO_RECV) || in.config().contains(OFPortConfig.PORT_DOWN))) {
            // PORT_MOD changes advance the generation, so this megaflow goes when the port is enabled again.
            return new Megaflow(new ActionProgram(List.of(new DpAction.Drop(DropReason.RX_DISABLED)), FlowCredit.NONE),
                    FlowMask.builder().exact(FlowField.IN_PORT).build());
        }
        if (!UpcallKey.convert(key, segment, offset, length, inPort, ofKey)) {
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, scratch, 0, length);
            FrameParser.parse(scratch, length, inPort, ofKey);
        }
        // Table counters are credited with the megaflow, for this packet and every later cache hit.
        host.flowTables().run(ofKey, result, false);
        List<FlowEntry> matched = result.matchedList();
        List<DpAction> ops = new ArrayList<>();
        if (result.missTable() == 0 && matched.isEmpty() && host.standaloneActive()) {
            // Fail mode standalone with no controller: a table-0 miss is forwarded as OFPP_NORMAL.
            ops.add(new DpAction.Normal());
            return new Megaflow(new ActionProgram(ops, credit(List.of(), FlowCredit.NONE, 0)), MegaflowMasks.of(result));
        }
        if (result.missTable() >= 0 && host.packetInOnTableMiss()) {
            ops.add(translator.toController(PacketIn.USE_MISS_SEND_LEN, OFPacketInReason.NO_MATCH, result.missTable(),
                    -1L, result.finalKey().metadata()));
        }
        for (int i = 0; i < result.meterCount(); i++) {
            ops.add(translator.meter(result.meter(i)));
        }
        ActionTranslator.GroupUse groups = new ActionTranslator.GroupUse();
        FlowEntry last = matched.isEmpty() ? null : matched.get(matched.size() - 1);
        translator.translate(result.actionList(), inPort, new ActionTranslator.Origin(last, result.finalKey().metadata()),
                ofKey.hashCode(), ops, groups, 0);
        if (result.truncated()) {
            ops.add(new DpAction.Drop(DropReason.UNSUPPORTED));
        }
        if (ops.isEmpty() && result.missTable() >= 0) {
            ops.add(new DpAction.Drop(DropReason.TABLE_MISS));
        }
        FlowCredit entries = credit(matched, groups.credit(), result.missTable());
        return new Megaflow(new ActionProgram(ops, entries),
                groups.keyHashed ? FlowMask.EXACT : MegaflowMasks.of(result));
    }

    /**
     * What one packet handled by this outcome adds: each matched entry's counters and a lookup
     * and a match in its table, a lookup without a match in {@code missTable} (when not -1),
     * and the groups' buckets.
     */
    private FlowCredit credit(List<FlowEntry> matched, FlowCredit groups, int missTable) {
        if (matched.isEmpty() && groups == FlowCredit.NONE && missTable < 0) {
            return FlowCredit.NONE;
        }
        if (matched.size() == 1 && groups == FlowCredit.NONE && missTable < 0) {
            // The common case, one entry of one table: its counters captured directly, so a
            // cache hit on one of 100,000 flows touches one counters object, not three.
            FlowCounters counters = matched.get(0).counters();
            FlowTable table = host.flowTables().table(matched.get(0).tableId());
            return (packets, bytes, now) -> {
                counters.add(packets, bytes, now);
                table.addLookups(packets, packets);
            };
        }
        FlowEntry[] entries = matched.toArray(FlowEntry[]::new);
        FlowTable[] tables = new FlowTable[entries.length];
        for (int i = 0; i < entries.length; i++) {
            tables[i] = host.flowTables().table(entries[i].tableId());
        }
        FlowTable missed = missTable < 0 ? null : host.flowTables().table(missTable);
        return (packets, bytes, now) -> {
            for (int i = 0; i < entries.length; i++) {
                entries[i].counters().add(packets, bytes, now);
                tables[i].addLookups(packets, packets);
            }
            if (missed != null) {
                missed.addLookups(packets, 0);
            }
            groups.credit(packets, bytes, now);
        };
    }
}
