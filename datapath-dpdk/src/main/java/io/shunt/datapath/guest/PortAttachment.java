package io.shunt.datapath.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.region.RegionFormatException;
import io.shunt.datapath.ring.SpscRing;

/**
 * One mapping of a port region with its two rings bound to the VNF's pool: what
 * {@link GuestPort} consults once per burst. Immutable; when the switch re-creates the
 * region, the port installs a new attachment and keeps the old one mapped until it closes.
 */
final class PortAttachment {
    final PortRegion region;
    /** Consumer view of the rx ring (switch → VNF). */
    final SpscRing rx;
    /** Producer view of the tx ring (VNF → switch). */
    final SpscRing tx;
    /** Identity of the file mapped (device and inode on Linux): a re-created region has another. */
    final Object fileKey;

    private PortAttachment(PortRegion region, SpscRing rx, SpscRing tx, Object fileKey) {
        this.region = region;
        this.rx = rx;
        this.tx = tx;
        this.fileKey = fileKey;
    }

    /** Maps the port region in {@code file}; every failure names the port and the file. */
    static PortRegion mapRegion(String portName, Path file) throws GuestAttachException {
        try {
            return PortRegion.attach(file);
        } catch (NoSuchFileException e) {
            throw new GuestAttachException(portName, file, "no such port region: the switch creates it when the port is"
                    + " added (is the port name right, and is " + file.getParent() + " the switch's region directory?)", e);
        } catch (RegionFormatException e) {
            throw new GuestAttachException(portName, file, "not a usable port region: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new GuestAttachException(portName, file, "cannot map the port region: " + e, e);
        }
    }

    /** Identity of {@code file} now, or {@code null} if it does not exist. */
    static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Whether {@code region}'s rings name buffers of {@code pool} (same pool name and generation). */
    static boolean usesPool(PortRegion region, PacketPool pool) {
        return region.poolName().equals(pool.region().name()) && region.poolGeneration() == pool.region().generation();
    }

    /** Binds the rings of {@code region} (which must use {@code pool}) and records the file identity. */
    static PortAttachment bind(PortRegion region, PacketPool pool, Object fileKey) {
        return new PortAttachment(region, region.rxRing(pool), region.txRing(pool), fileKey);
    }

    long generation() {
        return region.region().generation();
    }
}
