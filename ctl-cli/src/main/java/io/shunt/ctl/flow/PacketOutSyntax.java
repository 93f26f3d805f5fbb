package io.shunt.ctl.flow;

import io.shunt.ctl.flow.KeyValueScanner.Item;
import java.util.HexFormat;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * A packet-out in ovs-ofctl syntax:
 * {@code in_port=CONTROLLER,packet=<hex bytes>,actions=output:2}. The packet
 * is given whole, in hexadecimal (spaces, dots and colons between bytes are
 * allowed); {@code actions=} runs to the end as in a flow.
 */
public final class PacketOutSyntax {

    private final OFFactory factory;

    public PacketOutSyntax(OFFactory factory) {
        this.factory = factory;
    }

    public OFPacketOut parse(String text) throws FlowSyntaxException {
        int actionsAt = text.indexOf("actions=");
        if (actionsAt < 0) {
            throw new FlowSyntaxException("packet-out needs actions=... (for example 'actions=output:2')", text.length() + 1);
        }
        String head = text.substring(0, actionsAt);
        OFPort inPort = OFPort.CONTROLLER;
        byte[] packet = null;
        for (Item item : KeyValueScanner.scan(head, 1, "=")) {
            switch (item.key()) {
                case "in_port" -> inPort = ValueSyntax.port(item.value(), "in_port", item.valueColumn());
                case "packet" -> packet = hex(item.value(), item.valueColumn());
                default -> throw new FlowSyntaxException("unknown packet-out field '" + item.key()
                        + "' (expected in_port=, packet=, actions=)", item.keyColumn());
            }
        }
        if (packet == null) {
            throw new FlowSyntaxException("packet-out needs packet=<hex bytes>", 1);
        }
        int base = actionsAt + "actions=".length() + 1;
        List<OFAction> actions = ActionSyntax.parseActionList(factory, text.substring(actionsAt + "actions=".length()), base,
                null, "packet-out");
        return factory.buildPacketOut()
                .setBufferId(OFBufferId.NO_BUFFER)
                .setInPort(inPort)
                .setActions(actions)
                .setData(packet)
                .build();
    }

    static byte[] hex(String text, int column) throws FlowSyntaxException {
        String digits = text == null ? "" : text.replaceAll("[\\s.:]", "");
        if (digits.startsWith("0x")) {
            digits = digits.substring(2);
        }
        if (digits.isEmpty() || digits.length() % 2 != 0 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new FlowSyntaxException("packet= must be an even number of hexadecimal digits", column);
        }
        if (digits.length() / 2 < 14) {
            throw new FlowSyntaxException("packet= is " + digits.length() / 2 + " bytes: shorter than an Ethernet header", column);
        }
        return HexFormat.of().parseHex(digits);
    }
}
