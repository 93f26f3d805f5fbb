package io.shunt.ivshmem;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.port.PortRegion;

/**
 * Which of a VNF's ports a link joins, read from the regions themselves: a link names its
 * ends by ofport and pool, a port region holds its ofport and pool. Any driver can use it
 * (a process VNF's ports are its {@code ports/} entries, a domain's are its {@code <shmem>}
 * devices), and the answer survives an agent restart because nothing is remembered.
 */
public final class LinkEnds {
    private static final Logger LOG = LoggerFactory.getLogger(LinkEnds.class);

    private LinkEnds() {
    }

    /**
     * The names, sorted, of the ports in {@code portRegions} (port name → port region file)
     * that are an end of the link in {@code linkRegion}; empty if the link cannot be read.
     * A port region that cannot be read is left out.
     */
    public static List<String> portsJoined(Path linkRegion, Map<String, Path> portRegions) {
        LinkRegion link;
        try {
            link = LinkRegion.attach(linkRegion);
        } catch (IOException | RuntimeException e) {
            LOG.debug("link region {} unreadable: {}", linkRegion, e.getMessage());
            return List.of();
        }
        try (link) {
            List<String> joined = new ArrayList<>();
            for (Map.Entry<String, Path> port : new TreeMap<>(portRegions).entrySet()) {
                try (PortRegion region = PortRegion.attach(port.getValue())) {
                    if (joins(link, region)) {
                        joined.add(port.getKey());
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debug("port {} region {} unreadable: {}", port.getKey(), port.getValue(), e.getMessage());
                }
            }
            return joined;
        }
    }

    /**
     * True if {@code port} is an end of {@code link}: its port number is A or B and its rings
     * name the pool (name and generation) the link's rings name, which is what the guest shim
     * checks before it uses a plugged link.
     */
    public static boolean joins(LinkRegion link, PortRegion port) {
        return (port.portNumber() == link.portA() || port.portNumber() == link.portB())
                && port.poolName().equals(link.poolName()) && port.poolGeneration() == link.poolGeneration();
    }
}
