package io.shunt.ctl.flow;

import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * One parsed flow string: everything a FLOW_MOD or a flow-stats request
 * needs. {@code tableId} is -1 when the text named no table: additions and
 * modifications then go to table 0, deletions and dumps to all tables
 * (OpenFlow 1.3 allows OFPTT_ALL only there).
 */
public record FlowSpec(
        FlowCommand command,
        Match match,
        int priority,
        U64 cookie,
        U64 cookieMask,
        int tableId,
        int idleTimeout,
        int hardTimeout,
        Set<OFFlowModFlags> flags,
        OFPort outPort,
        OFGroup outGroup,
        List<OFInstruction> instructions) {

    /** OpenFlow's default priority; ovs-ofctl leaves it out of what it prints. */
    public static final int DEFAULT_PRIORITY = 0x8000;

    public FlowSpec {
        flags = Set.copyOf(flags);
        instructions = List.copyOf(instructions);
    }

    private TableId tableOrAll() {
        return tableId < 0 ? TableId.ALL : TableId.of(tableId);
    }

    private TableId tableOrZero() {
        return tableId < 0 ? TableId.of(0) : TableId.of(tableId);
    }

    /** The FLOW_MOD this flow stands for (xid 0: the client sets it). */
    public OFFlowMod toFlowMod(OFFactory factory) {
        OFFlowMod.Builder b = switch (command) {
            case ADD -> factory.buildFlowAdd();
            case MODIFY -> factory.buildFlowModify();
            case MODIFY_STRICT -> factory.buildFlowModifyStrict();
            case DELETE -> factory.buildFlowDelete();
            case DELETE_STRICT -> factory.buildFlowDeleteStrict();
            case DUMP -> throw new IllegalStateException("a dump-flows filter is not a FLOW_MOD");
        };
        boolean delete = command == FlowCommand.DELETE || command == FlowCommand.DELETE_STRICT;
        // xid 0: Loxi's factory would number messages itself; the client gives each its own when it sends it.
        return b.setXid(0)
                .setMatch(match)
                .setPriority(priority)
                .setCookie(cookie)
                .setCookieMask(cookieMask)
                .setTableId(delete ? tableOrAll() : tableOrZero())
                .setIdleTimeout(idleTimeout)
                .setHardTimeout(hardTimeout)
                .setFlags(flags)
                .setBufferId(OFBufferId.NO_BUFFER)
                .setOutPort(outPort)
                .setOutGroup(outGroup)
                .setInstructions(instructions)
                .build();
    }

    /** The flow-stats request that lists the flows this filter selects. */
    public OFFlowStatsRequest toFlowStatsRequest(OFFactory factory) {
        return factory.buildFlowStatsRequest()
                .setXid(0)
                .setMatch(match)
                .setTableId(tableOrAll())
                .setOutPort(outPort)
                .setOutGroup(outGroup)
                .setCookie(cookie)
                .setCookieMask(cookieMask)
                .build();
    }
}
