package io.shunt.ctl.flow;

import io.shunt.ctl.flow.KeyValueScanner.Item;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * Parses flows written in ovs-ofctl(8) syntax, for example
 * {@code table=0,priority=10,in_port=1,actions=output:2}, into
 * {@link FlowSpec}s for OpenFlow 1.3.
 *
 * <p>The text is: flow keywords ({@code table}, {@code priority},
 * {@code cookie}, timeouts, flags, {@code out_port}/{@code out_group}),
 * match fields and protocol shorthands ({@link MatchSyntax}), in any order,
 * then {@code actions=} and everything after it ({@link ActionSyntax}). The
 * statistics that dump-flows prints ({@code duration=}, {@code n_packets=},
 * ...) are accepted and ignored, so that a dump-flows line can be fed back.
 */
public final class FlowParser {

    private static final Pattern ACTIONS = Pattern.compile("(?:^|[\\s,])(actions?)\\s*=");
    private static final Set<String> IGNORED_STATISTICS = Set.of("duration", "n_packets", "n_bytes", "idle_age", "hard_age");

    private final OFFactory factory;

    public FlowParser(OFFactory factory) {
        this.factory = factory;
    }

    public FlowSpec parse(String text, FlowCommand command) throws FlowSyntaxException {
        String matchPart = text;
        String actionsPart = null;
        int actionsColumn = 0;
        Matcher m = ACTIONS.matcher(text);
        if (m.find()) {
            if (!command.takesActions()) {
                throw new FlowSyntaxException(command.commandName() + " takes no actions", m.start(1) + 1);
            }
            matchPart = text.substring(0, m.start(1));
            actionsPart = text.substring(m.end());
            actionsColumn = m.end() + 1;
        } else if (command.takesActions()) {
            throw new FlowSyntaxException("must specify actions (for example 'actions=output:2' or 'actions=drop')",
                    text.length() + 1);
        }

        int priority = FlowSpec.DEFAULT_PRIORITY;
        U64 cookie = U64.ZERO;
        U64 cookieMask = U64.ZERO;
        int table = -1;
        int idle = 0;
        int hard = 0;
        Set<OFFlowModFlags> flags = EnumSet.noneOf(OFFlowModFlags.class);
        OFPort outPort = OFPort.ANY;
        OFGroup outGroup = OFGroup.ANY;
        List<Item> matchItems = new ArrayList<>();

        for (Item item : KeyValueScanner.scan(matchPart, 1, "=")) {
            String key = item.key();
            if (item.value() == null) {
                OFFlowModFlags flag = flag(key);
                if (flag != null) {
                    if (!command.takesActions()) {
                        throw notAllowed(item, command);
                    }
                    flags.add(flag);
                    continue;
                }
                if (MatchSyntax.isProtocol(key)) {
                    matchItems.add(item);
                    continue;
                }
                if (MatchSyntax.isField(key) || isKeyword(key)) {
                    throw new FlowSyntaxException("field '" + key + "' needs a value ('" + key + "=...')", item.keyColumn());
                }
                throw new FlowSyntaxException("unknown field '" + key + "'", item.keyColumn());
            }
            String v = item.value();
            int c = item.valueColumn();
            switch (key) {
                case "table" -> {
                    table = (int) ValueSyntax.unsigned(v, 8, "table", c);
                    if (table == 255 && command.takesActions()) {
                        throw new FlowSyntaxException("table=255 means 'all tables': " + command.commandName()
                                + " needs one table", c);
                    }
                    if (table == 255) {
                        table = -1;
                    }
                }
                case "priority" -> {
                    if (!command.takesPriority()) {
                        throw notAllowed(item, command);
                    }
                    priority = (int) ValueSyntax.unsigned(v, 16, "priority", c);
                }
                case "idle_timeout", "hard_timeout" -> {
                    if (!command.takesActions()) {
                        throw notAllowed(item, command);
                    }
                    int seconds = (int) ValueSyntax.unsigned(v, 16, key, c);
                    if (key.equals("idle_timeout")) {
                        idle = seconds;
                    } else {
                        hard = seconds;
                    }
                }
                case "cookie" -> {
                    int slash = v.indexOf('/');
                    if (slash >= 0) {
                        if (command == FlowCommand.ADD) {
                            throw new FlowSyntaxException("flow additions cannot use a cookie mask", c + slash);
                        }
                        long[] vm = ValueSyntax.unsignedMasked(v, 64, "cookie", c);
                        cookie = U64.of(vm[0]);
                        cookieMask = U64.of(vm[1]);
                    } else {
                        if (!command.takesActions()) {
                            throw new FlowSyntaxException("cannot set a cookie in " + command.commandName()
                                    + " (to match on a cookie, give a mask, e.g. cookie=" + v + "/-1)", item.keyColumn());
                        }
                        cookie = U64.of(ValueSyntax.unsigned(v, 64, "cookie", c));
                    }
                }
                case "out_port" -> {
                    if (!command.takesOutPort()) {
                        throw notAllowed(item, command);
                    }
                    outPort = ValueSyntax.port(v, "out_port", c);
                }
                case "out_group" -> {
                    if (!command.takesOutPort()) {
                        throw notAllowed(item, command);
                    }
                    outGroup = OFGroup.of((int) ValueSyntax.unsigned(v, 32, "out_group", c));
                }
                case "importance" -> throw new FlowSyntaxException("importance needs OpenFlow 1.4; shunt-ctl speaks 1.3",
                        item.keyColumn());
                default -> {
                    if (!IGNORED_STATISTICS.contains(key)) {
                        matchItems.add(item);
                    }
                }
            }
        }

        Match match = MatchSyntax.build(factory, matchItems);
        List<OFInstruction> instructions = actionsPart == null ? List.of()
                : ActionSyntax.parse(factory, actionsPart, actionsColumn, match);
        return new FlowSpec(command, match, priority, cookie, cookieMask, table, idle, hard, flags, outPort, outGroup,
                instructions);
    }

    private static boolean isKeyword(String key) {
        return switch (key) {
            case "table", "priority", "idle_timeout", "hard_timeout", "cookie", "out_port", "out_group" -> true;
            default -> false;
        };
    }

    private static OFFlowModFlags flag(String word) {
        return switch (word) {
            case "send_flow_rem" -> OFFlowModFlags.SEND_FLOW_REM;
            case "check_overlap" -> OFFlowModFlags.CHECK_OVERLAP;
            case "reset_counts" -> OFFlowModFlags.RESET_COUNTS;
            case "no_packet_counts" -> OFFlowModFlags.NO_PKT_COUNTS;
            case "no_byte_counts" -> OFFlowModFlags.NO_BYT_COUNTS;
            default -> null;
        };
    }

    private static FlowSyntaxException notAllowed(Item item, FlowCommand command) {
        return new FlowSyntaxException("'" + item.key() + "' is not allowed in " + command.commandName(), item.keyColumn());
    }
}
