package io.shunt.ctl.flow;

import java.util.Map;
import org.projectfloodlight.openflow.types.OFPort;

/** A port as ovs-ofctl prints it: a reserved port by name (LOCAL, CONTROLLER, ...), others by number. */
final class PortText {

    private static final Map<OFPort, String> NAMES = Map.of(
            OFPort.IN_PORT, "IN_PORT",
            OFPort.TABLE, "TABLE",
            OFPort.NORMAL, "NORMAL",
            OFPort.FLOOD, "FLOOD",
            OFPort.ALL, "ALL",
            OFPort.CONTROLLER, "CONTROLLER",
            OFPort.LOCAL, "LOCAL",
            OFPort.ANY, "ANY");

    private PortText() {
    }

    static String format(OFPort port) {
        String name = NAMES.get(port);
        return name != null ? name : Integer.toUnsignedString(port.getPortNumber());
    }

    static boolean isReserved(OFPort port) {
        return NAMES.containsKey(port);
    }
}
