package io.shunt.datapath.engine;

/**
 * A {@link DpAction.Userspace} target: receives a copy of a packet on the PMD thread (a
 * slow path; it may allocate) and must not block. vswitchd implements it as a packet-in.
 */
@FunctionalInterface
public interface PacketUpcall {
    void deliver(byte[] frame, int inPort);
}
