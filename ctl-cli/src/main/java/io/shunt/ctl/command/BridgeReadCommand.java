package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Mixin;

/** A read of one bridge's part of the configuration: the method's only parameter is the BRIDGE argument. */
abstract class BridgeReadCommand extends ReadCommand {

    @Mixin
    BridgeArgument bridge;

    BridgeReadCommand(String method) {
        super(method);
    }

    @Override
    final ObjectNode params() {
        return bridge.params();
    }
}
