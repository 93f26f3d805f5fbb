package io.shunt.datapath.engine;

/**
 * A {@link DpAction.Meter}: charges one packet to a meter, on the PMD thread. Must be
 * lock-free and allocation-free (vswitchd's implementation charges an OpenFlow meter's
 * token buckets).
 */
@FunctionalInterface
public interface MeterGate {
    /** Returns false when the packet must be dropped. */
    boolean admit(int bytes, long nowNanos);
}
