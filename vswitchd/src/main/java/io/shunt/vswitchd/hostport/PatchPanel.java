package io.shunt.vswitchd.hostport;

import io.shunt.datapath.hostport.PatchPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * The patch ports of every bridge of this vswitchd, by name, so that the two ends of a
 * pair find each other whichever is added first and whichever bridge each is on. A pair is
 * joined when its second end arrives and parted when either end goes; each bridge's link
 * watcher then reports its end up or down (PORT_STATUS). Called from the bridges' control
 * threads, hence synchronized (cold path).
 */
public final class PatchPanel {
    private static final Logger log = LoggerFactory.getLogger(PatchPanel.class);
    private final Map<String, PatchPort> ends = new HashMap<>();

    /** Plugs in one end; joins it to its peer if the peer is already here. */
    public synchronized void plug(PatchPort port) {
        PatchPort old = ends.put(port.name(), port);
        if (old != null && old != port) {
            old.disconnect();
        }
        PatchPort peer = ends.get(port.peerName());
        if (peer != null) {
            if (peer.peerName().equals(port.name())) {
                PatchPort.connect(port, peer);
                log.info("patch {} <-> {} joined", port.name(), peer.name());
            } else {
                log.warn("patch port {} names {} as its peer, but {} names {}: not joined", port.name(),
                        peer.name(), peer.name(), peer.peerName());
            }
        }
    }

    /** Unplugs one end (being removed); its peer, if any, goes down. */
    public synchronized void unplug(PatchPort port) {
        if (ends.get(port.name()) == port) {
            ends.remove(port.name());
        }
        PatchPort peer = ends.get(port.peerName());
        if (peer != null && peer.peerName().equals(port.name())) {
            peer.disconnect();
            log.info("patch {} unplugged: {} is down", port.name(), peer.name());
        }
        port.disconnect();
    }
}
