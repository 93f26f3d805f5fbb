package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Parameters;

/** The BRIDGE that a configuration command names first (a picocli mixin), and the request parameters it makes. */
final class BridgeArgument {

    @Parameters(index = "0", paramLabel = "BRIDGE", description = "the bridge's name")
    String name;

    /** {@code {"bridge": NAME}}, for the command to add its own parameters to. */
    ObjectNode params() {
        return Params.bridge(name);
    }
}
