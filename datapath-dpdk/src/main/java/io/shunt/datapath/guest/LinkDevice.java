package io.shunt.datapath.guest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.shunt.datapath.port.LinkRegion;

/**
 * One plugged link device as this process sees it: the entry {@code devices/<name>}, the
 * link region it was mapped from (validated), and the link ends ({@link TxLink},
 * {@link RxLink}) made of it for this process's ports. Owned by the {@link DeviceWatcher}
 * (its thread and its lock); the data threads read only {@link #unplugged}.
 *
 * <p>The mapping outlives the entry: after an unplug, the region stays mapped until every
 * end has been released by the thread that uses it (a released end is never touched again),
 * so an unplug never pulls memory from under a burst.
 */
final class LinkDevice {
    final String name;
    final Path entry;
    final Object fileKey;
    final LinkRegion region;
    final List<LinkEnd> ends = new ArrayList<>();
    /** Set by the watcher when the entry is gone (or the port closed); read by the data threads. */
    volatile boolean unplugged;

    LinkDevice(String name, Path entry, Object fileKey, LinkRegion region) {
        this.name = name;
        this.entry = entry;
        this.fileKey = fileKey;
        this.region = region;
    }

    boolean hasEnd(GuestPort port, int direction, boolean transmit) {
        for (LinkEnd end : ends) {
            if (end.port == port && end.direction == direction && (end instanceof TxLink) == transmit) {
                return true;
            }
        }
        return false;
    }

    boolean allReleased() {
        for (LinkEnd end : ends) {
            if (!end.released) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "device '" + name + "' (" + region + ")";
    }
}
