package io.shunt.ivshmem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.datapath.region.SharedRegion;

/**
 * What is needed to hand a link region to a VNF as a device (DESIGN.md section 5): the
 * file a process VNF's device entry points to, and the {@code <shmem>} element that
 * hot-plugs it into a QEMU domain as an {@code ivshmem-plain} device.
 *
 * <p>QEMU maps {@code /dev/shm/<name>} with the size of the {@code <size unit='M'>} element,
 * which must be a power of two of at least 1 MiB, and it refuses a backing file shorter than
 * that; {@link LinkRegions#create} therefore makes every link file at least
 * {@link #deviceMiB()} MiB long. The region itself (what the header's size field says, and
 * what the guest maps) may be smaller: the rest of the file is a hole that is never touched.
 *
 * @param name        the link name (region name, device name, shmem name)
 * @param file        the region file
 * @param regionBytes the region size from its header, a power of two
 * @param deviceMiB   size of the ivshmem-plain device in MiB: a power of two, {@code >= 1}
 * @param directions  1 (A⇒B) or 2 (a point-to-point pair)
 */
public record LinkDevice(LinkName name, Path file, long regionBytes, int deviceMiB, int directions) {
    public static final long MIB = 1L << 20;

    public LinkDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        if (regionBytes <= 0 || Long.bitCount(regionBytes) != 1) {
            throw new IllegalArgumentException("link " + name + ": region size " + regionBytes + " is not a power of two");
        }
        if (deviceMiB < 1 || Integer.bitCount(deviceMiB) != 1 || (long) deviceMiB * MIB < regionBytes) {
            throw new IllegalArgumentException("link " + name + ": device size " + deviceMiB
                    + " MiB must be a power of two >= 1 that holds the " + regionBytes + "-byte region");
        }
        if (directions != 1 && directions != 2) {
            throw new IllegalArgumentException("link " + name + ": " + directions + " directions, expected 1 or 2");
        }
    }

    /** The descriptor of an attached (or just created) link region. */
    public static LinkDevice of(LinkRegion link) {
        SharedRegion region = link.region();
        LinkName name = LinkName.parse(region.name()).orElseThrow(() -> new IllegalArgumentException(
                region.file() + ": region name '" + region.name() + "' is not a link name (" + LinkName.PREFIX
                        + "<bridge>-<ofportA>-<ofportB>-<generation>)"));
        if (name.generation() != link.linkGeneration() || name.portA() != link.portA() || name.portB() != link.portB()) {
            throw new IllegalArgumentException(region.file() + ": name '" + name + "' disagrees with the link header"
                    + " (generation " + link.linkGeneration() + ", ports " + link.portA() + " and " + link.portB() + ")");
        }
        return new LinkDevice(name, region.file(), region.size(), deviceMiBFor(region.size()), link.directions());
    }

    /** The ivshmem-plain size for a region of {@code regionBytes}: a power of two of at least 1 MiB. */
    public static int deviceMiBFor(long regionBytes) {
        long mib = Math.max(1, (regionBytes + MIB - 1) / MIB);
        long power = SharedRegion.nextPowerOfTwo(mib);
        if (power > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("region of " + regionBytes + " bytes is too large for an ivshmem device");
        }
        return (int) power;
    }

    /** The ivshmem-plain device size in bytes (what the backing file must hold at least). */
    public long deviceBytes() {
        return deviceMiB * MIB;
    }

    public String regionName() {
        return name.regionName();
    }

    public long generation() {
        return name.generation();
    }

    public int portA() {
        return name.portA();
    }

    public int portB() {
        return name.portB();
    }

    public String bridge() {
        return name.bridge();
    }

    /**
     * True when libvirt can plug this region: libvirt's {@code <shmem name='N'>} always means
     * {@code /dev/shm/N}, so the region must live there (not on a hugetlbfs mount).
     */
    public boolean libvirtCompatible() {
        return file.toAbsolutePath().normalize().equals(RegionOptions.DEV_SHM.resolve(regionName()));
    }

    /** True when the file is at least {@link #deviceBytes()} long, as QEMU requires. */
    public boolean backingFileLongEnough() throws IOException {
        return Files.size(file) >= deviceBytes();
    }

    /**
     * The libvirt device XML that hot-plugs this link into a domain
     * ({@code virsh attach-device DOMAIN x.xml --live}, or libvirt's
     * {@code attachDeviceFlags(xml, VIR_DOMAIN_AFFECT_LIVE)}), e.g.
     * <pre>{@code
     * <shmem name='shunt-link-br0-1-2-7'>
     *   <model type='ivshmem-plain'/>
     *   <size unit='M'>1</size>
     * </shmem>
     * }</pre>
     * The same element identifies the device for {@code detachDeviceFlags}.
     */
    public String shmemXml() {
        // LinkName admits only [A-Za-z0-9_.:-] and digits: nothing in the name needs XML escaping.
        return "<shmem name='" + regionName() + "'>\n"
                + "  <model type='ivshmem-plain'/>\n"
                + "  <size unit='M'>" + deviceMiB + "</size>\n"
                + "</shmem>\n";
    }
}
