package io.shunt.datapath.port;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.region.LayoutEntry;
import io.shunt.datapath.region.NulPaddedString;
import io.shunt.datapath.region.RegionFormatException;
import io.shunt.datapath.region.RegionKind;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.datapath.region.SharedRegion;
import io.shunt.datapath.ring.RingLayout;
import io.shunt.datapath.ring.SpscRing;

/**
 * The region of one {@code dpdkr} port (layout: {@link PortRegionLayout}): the switch
 * creates it, the VNF attaches it (as a file, or as the BAR of a hot-plugged ivshmem
 * device). The rx ring carries packets from the switch to the VNF, the tx ring from the VNF
 * to the switch; both hold indices of the pool named in the port descriptor.
 */
public final class PortRegion implements AutoCloseable {
    private final SharedRegion region;
    private final int portNumber;
    private final int ringCapacity;
    private final String poolName;
    private final long poolGeneration;
    private final PortControlBlock control;

    private PortRegion(SharedRegion region, int portNumber, int ringCapacity, String poolName, long poolGeneration) {
        this.region = region;
        this.portNumber = portNumber;
        this.ringCapacity = ringCapacity;
        this.poolName = poolName;
        this.poolGeneration = poolGeneration;
        this.control = new PortControlBlock(region.segment().asSlice(PortRegionLayout.CONTROL_OFFSET,
                PortRegionLayout.CONTROL_LENGTH));
    }

    /** Creates the region {@code name} of port {@code portNumber}, whose rings name buffers of {@code pool}. */
    public static PortRegion create(RegionOptions options, String name, int portNumber, int ringCapacity,
                                    PacketPool pool, long generation) throws IOException {
        String poolName = pool.region().name();
        long poolGeneration = pool.region().generation();
        long txOffset = PortRegionLayout.txRingOffset(ringCapacity);
        long ringLength = RingLayout.length(ringCapacity);
        List<LayoutEntry> entries = List.of(
                new LayoutEntry(PortRegionLayout.DESCRIPTOR_ENTRY, PortRegionLayout.DESCRIPTOR_OFFSET,
                        PortRegionLayout.DESCRIPTOR_LENGTH),
                new LayoutEntry(PortRegionLayout.CONTROL_ENTRY, PortRegionLayout.CONTROL_OFFSET,
                        PortRegionLayout.CONTROL_LENGTH),
                new LayoutEntry(PortRegionLayout.RX_RING_ENTRY, PortRegionLayout.RX_RING_OFFSET, ringLength),
                new LayoutEntry(PortRegionLayout.TX_RING_ENTRY, txOffset, ringLength));
        SharedRegion region = SharedRegion.create(options, RegionKind.PORT, PortRegionLayout.VERSION, name,
                PortRegionLayout.length(ringCapacity), generation, entries, segment -> {
                    long d = PortRegionLayout.DESCRIPTOR_OFFSET;
                    segment.set(ValueLayout.JAVA_INT, d + PortRegionLayout.PORT_NUMBER_OFFSET, portNumber);
                    segment.set(ValueLayout.JAVA_INT, d + PortRegionLayout.RING_CAPACITY_OFFSET, ringCapacity);
                    segment.set(ValueLayout.JAVA_LONG, d + PortRegionLayout.POOL_GENERATION_OFFSET, poolGeneration);
                    NulPaddedString.write(segment, d + PortRegionLayout.POOL_NAME_OFFSET, PortRegionLayout.NAME_LENGTH,
                            poolName);
                    PortControlBlock.format(segment.asSlice(PortRegionLayout.CONTROL_OFFSET,
                            PortRegionLayout.CONTROL_LENGTH));
                    SpscRing.format(segment, PortRegionLayout.RX_RING_OFFSET, ringCapacity);
                    SpscRing.format(segment, txOffset, ringCapacity);
                });
        return new PortRegion(region, portNumber, ringCapacity, poolName, poolGeneration);
    }

    /** Attaches the port region in {@code file}, checking header, descriptor and both rings. */
    public static PortRegion attach(Path file) throws IOException {
        return SharedRegion.attach(file, RegionKind.PORT, PortRegionLayout.VERSION, PortRegion::open);
    }

    private static PortRegion open(SharedRegion region) throws RegionFormatException {
        Path file = region.file();
        MemorySegment segment = region.segment();
        expectEntry(region, PortRegionLayout.DESCRIPTOR_ENTRY, PortRegionLayout.DESCRIPTOR_OFFSET,
                PortRegionLayout.DESCRIPTOR_LENGTH);
        expectEntry(region, PortRegionLayout.CONTROL_ENTRY, PortRegionLayout.CONTROL_OFFSET,
                PortRegionLayout.CONTROL_LENGTH);
        long d = PortRegionLayout.DESCRIPTOR_OFFSET;
        int portNumber = segment.get(ValueLayout.JAVA_INT, d + PortRegionLayout.PORT_NUMBER_OFFSET);
        int capacity = segment.get(ValueLayout.JAVA_INT, d + PortRegionLayout.RING_CAPACITY_OFFSET);
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new RegionFormatException.Corrupt(file, d + PortRegionLayout.RING_CAPACITY_OFFSET,
                    "ring capacity " + capacity + " is not a power of two >= 2");
        }
        if (PortRegionLayout.length(capacity) > region.size()) {
            throw new RegionFormatException.TooSmall(file, "port rings of " + capacity + " slots",
                    PortRegionLayout.length(capacity), region.size());
        }
        expectEntry(region, PortRegionLayout.RX_RING_ENTRY, PortRegionLayout.RX_RING_OFFSET, RingLayout.length(capacity));
        expectEntry(region, PortRegionLayout.TX_RING_ENTRY, PortRegionLayout.txRingOffset(capacity),
                RingLayout.length(capacity));
        String poolName = NulPaddedString.read(segment, d + PortRegionLayout.POOL_NAME_OFFSET,
                PortRegionLayout.NAME_LENGTH);
        if (poolName == null || poolName.isEmpty()) {
            throw new RegionFormatException.Corrupt(file, d + PortRegionLayout.POOL_NAME_OFFSET, "bad pool name");
        }
        long poolGeneration = segment.get(ValueLayout.JAVA_LONG, d + PortRegionLayout.POOL_GENERATION_OFFSET);
        int controlVersion = segment.get(ValueLayout.JAVA_INT,
                PortRegionLayout.CONTROL_OFFSET + PortRegionLayout.CONTROL_VERSION_OFFSET);
        if (controlVersion != PortRegionLayout.CONTROL_VERSION) {
            throw new RegionFormatException.VersionMismatch(file, "port control block", controlVersion,
                    PortRegionLayout.CONTROL_VERSION);
        }
        for (long ring : new long[] {PortRegionLayout.RX_RING_OFFSET, PortRegionLayout.txRingOffset(capacity)}) {
            int found = segment.get(ValueLayout.JAVA_INT, ring + RingLayout.CAPACITY_OFFSET);
            int type = segment.get(ValueLayout.JAVA_INT, ring + RingLayout.TYPE_OFFSET);
            if (found != capacity || type != RingLayout.TYPE_SPSC) {
                throw new RegionFormatException.Corrupt(file, ring, "ring of capacity " + found + " and type " + type
                        + ", expected an SPSC ring of " + capacity);
            }
        }
        return new PortRegion(region, portNumber, capacity, poolName, poolGeneration);
    }

    static void expectEntry(SharedRegion region, String name, long offset, long length) throws RegionFormatException {
        LayoutEntry entry = region.requireEntry(name);
        if (entry.offset() != offset || entry.length() < length) {
            throw new RegionFormatException.Corrupt(region.file(), entry.offset(), "layout row " + entry
                    + ", expected offset " + offset + " and length >= " + length);
        }
    }

    /** The rx ring (switch → VNF) bound to {@code pool}: the switch produces, the VNF consumes. */
    public SpscRing rxRing(PacketPool pool) {
        checkPool(pool);
        return SpscRing.attach(region.segment(), PortRegionLayout.RX_RING_OFFSET, RingLayout.length(ringCapacity), pool);
    }

    /** The tx ring (VNF → switch) bound to {@code pool}: the VNF produces, the switch consumes. */
    public SpscRing txRing(PacketPool pool) {
        checkPool(pool);
        return SpscRing.attach(region.segment(), PortRegionLayout.txRingOffset(ringCapacity),
                RingLayout.length(ringCapacity), pool);
    }

    private void checkPool(PacketPool pool) {
        if (!pool.region().name().equals(poolName) || pool.region().generation() != poolGeneration) {
            throw new IllegalArgumentException("port " + portNumber + " (" + region.file() + ") names pool '" + poolName
                    + "' generation " + poolGeneration + ", not " + pool);
        }
    }

    public PortControlBlock control() {
        return control;
    }

    public int portNumber() {
        return portNumber;
    }

    public int ringCapacity() {
        return ringCapacity;
    }

    /** Region name of the pool this port's rings refer to. */
    public String poolName() {
        return poolName;
    }

    public long poolGeneration() {
        return poolGeneration;
    }

    public SharedRegion region() {
        return region;
    }

    @Override
    public void close() {
        region.close();
    }

    @Override
    public String toString() {
        return "port " + portNumber + " region '" + region.name() + "' (" + region.file() + ")";
    }
}
