package io.shunt.ofproto.datapath;

import io.shunt.ofproto.flow.FlowTables;
import io.shunt.ofproto.group.GroupTable;
import io.shunt.ofproto.meter.MeterTable;

/**
 * What the switch offers its datapath, handed over once by
 * {@link Datapath#attach}: the pipeline, the group and meter tables, and the
 * upcalls for asynchronous events. The upcalls may be called from any
 * thread (a PMD thread, a port-watcher); the switch moves the work to its
 * control thread and never blocks the caller.
 */
public interface DatapathHost {

    /** The flow tables; {@link FlowTables#run} classifies a packet (lock-free). */
    FlowTables flowTables();

    /** Groups, for executing group actions (lock-free reads). */
    GroupTable groups();

    /** Meters, for executing meter instructions (lock-free reads). */
    MeterTable meters();

    /**
     * Sends a packet to the controllers. Rate-limited per switch (token
     * bucket): returns false, counted, when over the limit; true when
     * queued for delivery.
     */
    boolean packetIn(PacketIn packetIn);

    /**
     * Whether a packet that misses a table with no table-miss entry goes to
     * the controllers (PACKET_IN, reason NO_MATCH, each connection's
     * miss_send_len) instead of being dropped: true while a controller of
     * OpenFlow 1.0-1.2 is connected, whose specifications send misses to the
     * controller (OF1.3 section 5.4 drops them); this is OVS's rule too.
     * Cheap (a volatile read); any thread.
     */
    boolean packetInOnTableMiss();

    /**
     * Fail mode standalone with no controller connected (OVS's fail_mode):
     * the datapath should forward like a learning switch (OFPP_NORMAL)
     * instead of applying the flow tables' misses. Cheap; any thread.
     */
    boolean standaloneActive();

    /** A port appeared (PORT_STATUS reason ADD). */
    void portAdded(PortInfo port);

    /** A port disappeared (PORT_STATUS reason DELETE). Flows that output to it stay, as in OVS. */
    void portRemoved(PortInfo port);

    /** A port's config or state changed (PORT_STATUS reason MODIFY). */
    void portChanged(PortInfo port);
}
