package io.shunt.vswitchd.link;

import io.shunt.datapath.port.PortControlBlock;
import java.util.function.LongSupplier;

/**
 * A dpdkr port as the link manager sees it: number, name (what the agent knows), control
 * block (VNF pid, heartbeat), and the producer position of its tx ring (VNF to switch), which
 * tells an idle VNF from one that transmits without acknowledging.
 */
public record LinkPort(int ofport, String name, PortControlBlock control, LongSupplier txProduced) {
}
