package io.shunt.ctl.command;

import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.ShuntCtl;
import io.shunt.ctl.openflow.OpenFlowClient;
import picocli.CommandLine.Parameters;

/** The BRIDGE that an OpenFlow command names first (a picocli mixin): a bridge name, or unix:PATH as with ovs-ofctl. */
final class OpenFlowTarget {

    @Parameters(index = "0", paramLabel = "BRIDGE",
            description = "a bridge name (its OpenFlow socket <run-dir>/BRIDGE.mgmt) or unix:PATH")
    String name;

    OpenFlowClient connect(ShuntCtl ctl) throws CtlFailure {
        return ctl.openflow(name);
    }
}
