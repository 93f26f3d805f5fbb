package io.shunt.vswitchd.bridge;

import io.shunt.datapath.engine.PortDriver;
import io.shunt.datapath.hostport.HostLink;
import io.shunt.ofproto.datapath.PortInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the link state of a bridge's host ports ({@link HostLink}: afpacket, internal,
 * patch) every {@link #PERIOD_MILLIS} ms on the bridge's control thread, and reports each
 * change to the datapath, which sends PORT_STATUS. A deleted interface is seen within one
 * period. Polling (a few ioctls per port) rather than a netlink subscription keeps the
 * watcher in the process's own network namespace with nothing else to set up.
 */
final class LinkWatcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(LinkWatcher.class);
    static final long PERIOD_MILLIS = 100;

    private final String bridge;
    private final DpdkDatapath datapath;

    LinkWatcher(String bridge, DpdkDatapath datapath) {
        this.bridge = bridge;
        this.datapath = datapath;
    }

    @Override
    public void run() {
        try {
            for (PortInfo info : datapath.ports()) {
                PortDriver driver = datapath.driver(info.portNo());
                if (driver instanceof HostLink link) {
                    link.refreshLink();
                    // Compared with the description, not only with the last poll: a port added while
                    // its link was down is reported when it comes up.
                    boolean described = !info.state().contains(
                            org.projectfloodlight.openflow.protocol.OFPortState.LINK_DOWN);
                    if (driver.linkUp() != described) {
                        datapath.linkStateChanged(info.portNo(), driver.linkUp());
                    }
                }
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and keep watching.
            log.warn("bridge {}: link watch failed", bridge, e);
        }
    }
}
