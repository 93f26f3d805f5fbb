package io.shunt.vswitchd.link;

import io.shunt.datapath.port.PortControlBlock;

/** A dpdkr port as the link manager sees it: number, name (what the agent knows), control block (VNF pid, heartbeat). */
public record LinkPort(int ofport, String name, PortControlBlock control) {
}
