package io.shunt.ctl.flow;

import io.shunt.ctl.flow.KeyValueScanner.Item;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMatchV3;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * The {@code actions=} part of a flow (ovs-actions(7)) as OpenFlow 1.3
 * instructions: plain actions become one Apply-Actions instruction; then
 * {@code clear_actions}, {@code write_actions(...)}, {@code write_metadata}
 * and {@code goto_table}, with {@code meter} first, in that order (the order
 * OpenFlow 1.3 section 5.9 executes them in, which ovs-ofctl also insists on).
 *
 * <p>OpenFlow 1.0-style actions are translated as ovs-ofctl translates them
 * for OpenFlow 1.3: {@code mod_dl_src} is a set-field of eth_src,
 * {@code mod_vlan_vid} pushes an 802.1Q header first when the match does not
 * guarantee one, {@code mod_tp_src} sets tcp_src, udp_src or sctp_src after
 * the protocol of the match.
 */
final class ActionSyntax {

    /** The instructions in the order OpenFlow 1.3 requires; the index is the rank. */
    private static final List<String> ORDER = List.of("meter", "apply_actions", "clear_actions", "write_actions",
            "write_metadata", "goto_table");

    private final OFFactory factory;
    private final Match match;
    private final List<OFInstruction> instructions = new ArrayList<>();
    private int lastRank = -1;
    private String lastName;

    private ActionSyntax(OFFactory factory, Match match) {
        this.factory = factory;
        this.match = match;
    }

    /** Parses {@code text} (what follows "actions="), whose first character is at column {@code base}. */
    static List<OFInstruction> parse(OFFactory factory, String text, int base, Match match) throws FlowSyntaxException {
        return new ActionSyntax(factory, match).instructions(text, base);
    }

    /** Parses a plain action list (no instructions), as in a group bucket or a packet-out. */
    static List<OFAction> parseActionList(OFFactory factory, String text, int base, Match match, String context)
            throws FlowSyntaxException {
        ActionSyntax syntax = new ActionSyntax(factory, match);
        List<Item> items = KeyValueScanner.scan(text, base, "=:(");
        if (items.size() == 1 && items.getFirst().value() == null && items.getFirst().key().equalsIgnoreCase("drop")) {
            return List.of();
        }
        List<OFAction> actions = new ArrayList<>();
        VlanState vlan = new VlanState(syntax.vlanPresentInMatch());
        for (Item item : items) {
            String key = item.key().toLowerCase(Locale.ROOT);
            if (isInstruction(key)) {
                throw new FlowSyntaxException("'" + item.key() + "' is an instruction; " + context + " takes actions only",
                        item.keyColumn());
            }
            syntax.action(item, key, actions, vlan);
        }
        return actions;
    }

    private static boolean isInstruction(String key) {
        return ORDER.contains(key) && !key.equals("apply_actions");
    }

    private List<OFInstruction> instructions(String text, int base) throws FlowSyntaxException {
        List<Item> items = KeyValueScanner.scan(text, base, "=:(");
        if (items.isEmpty()) {
            throw new FlowSyntaxException("actions= is empty (write 'actions=drop' to drop)", base);
        }
        List<OFAction> apply = new ArrayList<>();
        int applyColumn = -1;
        VlanState vlan = new VlanState(vlanPresentInMatch());
        for (Item item : items) {
            String key = item.key().toLowerCase(Locale.ROOT);
            if (key.equals("drop") && item.value() == null) {
                if (items.size() > 1) {
                    throw new FlowSyntaxException("'drop' must be the only action", item.keyColumn());
                }
                return List.of();
            }
            switch (key) {
                case "meter" -> {
                    rank("meter", item);
                    long id = ValueSyntax.unsigned(argument(item), 32, "meter", item.valueColumn());
                    instructions.add(factory.instructions().buildMeter().setMeterId(id).build());
                }
                case "clear_actions" -> {
                    noArgument(item);
                    flushApply(apply);
                    rank("clear_actions", item);
                    instructions.add(factory.instructions().clearActions());
                }
                case "write_actions" -> {
                    if (item.separator() != '(') {
                        throw new FlowSyntaxException("write_actions needs a list in parentheses: write_actions(output:1)",
                                item.keyColumn());
                    }
                    flushApply(apply);
                    rank("write_actions", item);
                    List<OFAction> written = parseActionList(factory, item.value(), item.valueColumn(), match, "write_actions");
                    instructions.add(factory.instructions().writeActions(written));
                }
                case "write_metadata" -> {
                    flushApply(apply);
                    rank("write_metadata", item);
                    long[] vm = ValueSyntax.unsignedMasked(argument(item), 64, "write_metadata", item.valueColumn());
                    instructions.add(factory.instructions().writeMetadata(U64.of(vm[0]), U64.of(vm[1])));
                }
                case "goto_table" -> {
                    flushApply(apply);
                    rank("goto_table", item);
                    long table = ValueSyntax.unsigned(argument(item), 8, "goto_table", item.valueColumn());
                    if (table == 255) {
                        throw new FlowSyntaxException("goto_table:255 is not a table (255 means 'all tables')",
                                item.valueColumn());
                    }
                    instructions.add(factory.instructions().gotoTable(TableId.of((int) table)));
                }
                default -> {
                    if (applyColumn < 0) {
                        applyColumn = item.keyColumn();
                        rank("apply_actions", item);
                    } else if (lastRank > ORDER.indexOf("apply_actions")) {
                        throw new FlowSyntaxException("action '" + item.text() + "' comes after " + lastName
                                + ": apply actions must all come before clear_actions, write_actions,"
                                + " write_metadata and goto_table", item.keyColumn());
                    }
                    action(item, key, apply, vlan);
                }
            }
        }
        flushApply(apply);
        return List.copyOf(instructions);
    }

    private void flushApply(List<OFAction> apply) {
        if (!apply.isEmpty()) {
            // Apply-Actions ranks second; it was ranked when its first action was read.
            int at = 0;
            while (at < instructions.size()
                    && instructions.get(at) instanceof org.projectfloodlight.openflow.protocol.instruction.OFInstructionMeter) {
                at++;
            }
            instructions.add(at, factory.instructions().applyActions(List.copyOf(apply)));
            apply.clear();
        }
    }

    private void rank(String name, Item item) throws FlowSyntaxException {
        int rank = ORDER.indexOf(name);
        if (rank == lastRank) {
            throw new FlowSyntaxException(name + " appears twice", item.keyColumn());
        }
        if (rank < lastRank) {
            throw new FlowSyntaxException("invalid instruction order: " + name + " must come before " + lastName
                    + " (order: meter, actions, clear_actions, write_actions, write_metadata, goto_table)", item.keyColumn());
        }
        lastRank = rank;
        lastName = name;
    }

    /** Tracks whether the packet has a VLAN header at this point of the action list. */
    private static final class VlanState {
        boolean present;

        VlanState(boolean present) {
            this.present = present;
        }
    }

    private boolean vlanPresentInMatch() {
        if (!(match instanceof OFMatchV3 v3)) {
            return false;
        }
        OFOxm<OFVlanVidMatch> vid = v3.getOxmList().get(MatchField.VLAN_VID);
        if (vid == null) {
            return false;
        }
        short value = vid.getValue().getRawVid();
        short mask = vid.isMasked() ? vid.getMask().getRawVid() : (short) 0x1fff;
        return (mask & 0x1000) != 0 && (value & 0x1000) != 0;
    }

    private void action(Item item, String key, List<OFAction> out, VlanState vlan) throws FlowSyntaxException {
        var a = factory.actions();
        if (item.value() == null && !key.isEmpty() && Character.isDigit(key.charAt(0))) {
            out.add(a.output(ValueSyntax.port(item.key(), "output", item.keyColumn()), 0));
            return;
        }
        switch (key) {
            case "output" -> {
                OFPort port = ValueSyntax.port(argument(item), "output", item.valueColumn());
                out.add(a.output(port, port.equals(OFPort.CONTROLLER) ? 0xffff : 0));
            }
            case "in_port", "all", "flood", "local", "normal", "table" -> {
                noArgument(item);
                out.add(a.output(ValueSyntax.RESERVED_PORTS.get(key.toUpperCase(Locale.ROOT)), 0));
            }
            case "controller" -> out.add(a.output(OFPort.CONTROLLER, controllerMaxLen(item)));
            case "drop" -> throw new FlowSyntaxException("'drop' must be the only action", item.keyColumn());
            case "mod_dl_src" -> out.add(setField("eth_src", item));
            case "mod_dl_dst" -> out.add(setField("eth_dst", item));
            case "mod_vlan_vid" -> {
                long vid = ValueSyntax.unsigned(argument(item), 12, key, item.valueColumn());
                pushVlanIfNeeded(out, vlan);
                out.add(a.setField(factory.oxms().vlanVid(OFVlanVidMatch.ofVlan((int) vid))));
            }
            case "mod_vlan_pcp" -> {
                ValueSyntax.unsigned(argument(item), 3, key, item.valueColumn());
                pushVlanIfNeeded(out, vlan);
                out.add(setField("vlan_pcp", item));
            }
            case "strip_vlan", "pop_vlan" -> {
                noArgument(item);
                out.add(a.popVlan());
                vlan.present = false;
            }
            case "push_vlan" -> {
                long type = ValueSyntax.unsigned(argument(item), 16, key, item.valueColumn());
                if (type != 0x8100 && type != 0x88a8) {
                    throw new FlowSyntaxException("push_vlan ethertype must be 0x8100 or 0x88a8", item.valueColumn());
                }
                out.add(a.pushVlan(EthType.of((int) type)));
                vlan.present = true;
            }
            case "push_mpls" -> {
                long type = ValueSyntax.unsigned(argument(item), 16, key, item.valueColumn());
                if (type != 0x8847 && type != 0x8848) {
                    throw new FlowSyntaxException("push_mpls ethertype must be 0x8847 or 0x8848", item.valueColumn());
                }
                out.add(a.pushMpls(EthType.of((int) type)));
            }
            case "pop_mpls" -> out.add(a.popMpls(EthType.of((int) ValueSyntax.unsigned(argument(item), 16, key,
                    item.valueColumn()))));
            case "set_mpls_label" -> out.add(setField("mpls_label", item));
            case "set_mpls_tc" -> out.add(setField("mpls_tc", item));
            case "set_mpls_ttl" -> out.add(a.setMplsTtl((short) ValueSyntax.unsigned(argument(item), 8, key, item.valueColumn())));
            case "dec_mpls_ttl" -> {
                noArgument(item);
                out.add(a.decMplsTtl());
            }
            case "mod_nw_src", "mod_nw_dst" -> {
                requireMatch(item, MatchSyntax.ETH_IPV4, "ip");
                out.add(setField(key.equals("mod_nw_src") ? "ip_src" : "ip_dst", item));
            }
            case "mod_nw_tos" -> {
                long tos = ValueSyntax.unsigned(argument(item), 8, key, item.valueColumn());
                if ((tos & 3) != 0) {
                    throw new FlowSyntaxException("mod_nw_tos " + tos + " has ECN bits set: it must be a multiple of 4",
                            item.valueColumn());
                }
                requireIp(item);
                out.add(a.setField(factory.oxms().ipDscp(org.projectfloodlight.openflow.types.IpDscp.of((byte) (tos >> 2)))));
            }
            case "mod_nw_ecn" -> {
                requireIp(item);
                out.add(setField("nw_ecn", item));
            }
            case "mod_nw_ttl" -> {
                requireIp(item);
                out.add(a.setNwTtl((short) ValueSyntax.unsigned(argument(item), 8, key, item.valueColumn())));
            }
            case "dec_ttl" -> {
                noArgument(item);
                out.add(a.decNwTtl());
            }
            case "mod_tp_src", "mod_tp_dst" -> {
                String proto = transportOfMatch(item);
                out.add(setField(proto + (key.endsWith("src") ? "_src" : "_dst"), item));
            }
            case "set_field" -> {
                if (item.separator() != ':') {
                    throw new FlowSyntaxException("expected set_field:VALUE->FIELD", item.keyColumn());
                }
                out.add(a.setField(SetFieldSyntax.parse(factory, item.value(), item.valueColumn())));
            }
            case "group" -> out.add(a.group(OFGroup.of((int) ValueSyntax.unsigned(argument(item), 32, key, item.valueColumn()))));
            case "set_queue" -> out.add(a.setQueue(ValueSyntax.unsigned(argument(item), 32, key, item.valueColumn())));
            case "copy_ttl_in" -> {
                noArgument(item);
                out.add(a.copyTtlIn());
            }
            case "copy_ttl_out" -> {
                noArgument(item);
                out.add(a.copyTtlOut());
            }
            default -> {
                if (isInstruction(key) || key.equals("meter")) {
                    throw new FlowSyntaxException("'" + item.key() + "' is an instruction and cannot appear here",
                            item.keyColumn());
                }
                throw new FlowSyntaxException("unknown action '" + item.key() + "'", item.keyColumn());
            }
        }
    }

    private OFAction setField(String fieldName, Item item) throws FlowSyntaxException {
        SetFieldSyntax.FieldDef def = SetFieldSyntax.byName(fieldName);
        String text = argument(item);
        return factory.actions().setField(SetFieldSyntax.oxm(factory, def, SetFieldSyntax.value(def, text, item.valueColumn())));
    }

    private void pushVlanIfNeeded(List<OFAction> out, VlanState vlan) {
        if (!vlan.present) {
            out.add(factory.actions().pushVlan(EthType.VLAN_FRAME));
            vlan.present = true;
        }
    }

    private int controllerMaxLen(Item item) throws FlowSyntaxException {
        if (item.value() == null) {
            return 0xffff;
        }
        if (item.separator() == ':') {
            return (int) ValueSyntax.unsigned(item.value(), 16, "controller max_len", item.valueColumn());
        }
        int maxLen = 0xffff;
        for (Item arg : KeyValueScanner.scan(item.value(), item.valueColumn(), "=")) {
            if (arg.key().equals("max_len") && arg.value() != null) {
                maxLen = (int) ValueSyntax.unsigned(arg.value(), 16, "controller max_len", arg.valueColumn());
            } else if (arg.key().equals("reason") && "action".equals(arg.value())) {
                continue;
            } else {
                throw new FlowSyntaxException("controller(" + arg.text() + "): OpenFlow 1.3 controller output takes only"
                        + " max_len", arg.keyColumn());
            }
        }
        return maxLen;
    }

    private static String argument(Item item) throws FlowSyntaxException {
        if (item.value() == null || item.value().isEmpty()) {
            throw new FlowSyntaxException("action '" + item.key() + "' needs an argument ('" + item.key() + ":...')",
                    item.keyColumn());
        }
        return item.value();
    }

    private static void noArgument(Item item) throws FlowSyntaxException {
        if (item.value() != null) {
            throw new FlowSyntaxException("action '" + item.key() + "' takes no argument", item.keyColumn());
        }
    }

    private Integer ethTypeOfMatch() {
        if (!(match instanceof OFMatchV3 v3)) {
            return null;
        }
        OFOxm<EthType> type = v3.getOxmList().get(MatchField.ETH_TYPE);
        return type == null || type.isMasked() ? null : type.getValue().getValue();
    }

    private void requireMatch(Item item, int ethType, String shorthand) throws FlowSyntaxException {
        Integer t = ethTypeOfMatch();
        if (t == null || t != ethType) {
            throw new FlowSyntaxException(item.key() + " needs a match on " + shorthand + " (for example '" + shorthand
                    + ",actions=" + item.text() + "')", item.keyColumn());
        }
    }

    private void requireIp(Item item) throws FlowSyntaxException {
        Integer t = ethTypeOfMatch();
        if (t == null || (t != MatchSyntax.ETH_IPV4 && t != MatchSyntax.ETH_IPV6)) {
            throw new FlowSyntaxException(item.key() + " needs a match on ip or ipv6 (for example 'ip,actions="
                    + item.text() + "')", item.keyColumn());
        }
    }

    private String transportOfMatch(Item item) throws FlowSyntaxException {
        OFOxm<IpProtocol> proto = match instanceof OFMatchV3 v3 ? v3.getOxmList().get(MatchField.IP_PROTO) : null;
        if (proto != null && !proto.isMasked()) {
            IpProtocol p = proto.getValue();
            if (p.equals(IpProtocol.TCP)) {
                return "tcp";
            }
            if (p.equals(IpProtocol.UDP)) {
                return "udp";
            }
            if (p.equals(IpProtocol.SCTP)) {
                return "sctp";
            }
        }
        throw new FlowSyntaxException(item.key() + " needs a match on tcp, udp or sctp (for example 'tcp,actions="
                + item.text() + "')", item.keyColumn());
    }
}
