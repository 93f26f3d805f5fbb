package io.shunt.datapath.hostport;

import java.util.Map;

/**
 * A port whose link is a kernel interface (or, for a patch port, the peer's presence):
 * its state is re-read off the packet path by whoever watches links (vswitchd's link
 * watcher), and a change is reported to OpenFlow as a PORT_STATUS.
 */
public interface HostLink {

    /**
     * Re-reads the link state (a few system calls; never call it from a PMD thread). Returns
     * true when {@code linkUp()} changed.
     */
    boolean refreshLink();

    /** The hardware address to report in the port description (48 bits). */
    long hwAddr();

    /** The driver's own counters beyond port statistics (drops by cause), by name. Allocates. */
    Map<String, Long> detailCounters();
}
