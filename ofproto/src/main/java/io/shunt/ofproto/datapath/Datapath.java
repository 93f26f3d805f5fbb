package io.shunt.ofproto.datapath;

import io.shunt.ofproto.flow.FlowEntry;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.action.OFAction;

/**
 * The narrow interface through which ofproto (OpenFlow semantics) drives a
 * datapath (packet forwarding): the role of OVS's ofproto-provider, one
 * header-like contract. ofproto never sees rings or buffers; the datapath
 * never sees OpenFlow messages.
 *
 * <p>Threading: every method here is called on the switch's control
 * thread, one at a time, and must not block for long (no I/O waits): the
 * control thread also serves every controller connection. The datapath
 * calls back through {@link DatapathHost}, from any thread.
 *
 * <p>Flow tables are not pushed to the datapath: it runs
 * {@link io.shunt.ofproto.flow.FlowTables#run} (lock-free, versioned) and
 * may cache results keyed by the returned wildcard mask, invalidated by a
 * {@link io.shunt.ofproto.FlowTableListener}.
 */
public interface Datapath {

    /**
     * Called once by the switch's constructor, before any other method.
     * The datapath keeps {@code host} to classify packets and to report
     * packet-ins and port events.
     */
    void attach(DatapathHost host);

    /** Every port, in ascending port-number order (OFPP_LOCAL included if the datapath has one). */
    List<PortInfo> ports();

    /** The port with this number, or null. */
    PortInfo port(int portNo);

    /** Counters of a port, or null if there is no such port. */
    PortCounters portCounters(int portNo);

    /**
     * Executes an action list on a frame (PACKET_OUT, OF1.3 section
     * 7.3.7). {@code inPort} is a port number or OFPP_CONTROLLER. Actions
     * were validated by the switch (ports and groups exist); an output to
     * OFPP_TABLE runs the frame through the pipeline. The frame array is
     * the datapath's to keep.
     */
    void packetOut(byte[] frame, int inPort, List<OFAction> actions);

    /**
     * PORT_MOD (OF1.3 section 7.3.4.3): sets the OFPPC bits under
     * {@code mask} to {@code config} (PORT_DOWN, NO_RECV, NO_FWD,
     * NO_PACKET_IN, NO_FLOOD). The port exists (checked by the switch); the
     * datapath reports the result through {@link DatapathHost#portChanged}.
     *
     * @return the port as it is after the change
     */
    PortInfo portMod(int portNo, Set<OFPortConfig> config, Set<OFPortConfig> mask);

    /**
     * Traffic of a flow entry that did not cross the classifier (a direct
     * link carrying a carrier flow, DESIGN section 4.4), to be added to the
     * entry's statistics and idle-timeout use. Called for flow statistics
     * and idle-timeout checks; cheap, non-blocking.
     */
    default FlowTraffic extraTraffic(FlowEntry entry) {
        return FlowTraffic.NONE;
    }
}
