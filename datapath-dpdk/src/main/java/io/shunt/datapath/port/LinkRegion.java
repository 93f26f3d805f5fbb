package io.shunt.datapath.port;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The region of one direct link (layout: {@link LinkRegionLayout}): created by the switch
 * and plugged into both VNFs. Ring 0 carries A⇒B; a point-to-point pair has ring 1 for
 * B⇒A in the same region, so each VNF gets one device.
 */
public final class LinkRegion implements AutoCloseable {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final SharedRegion region;
    private final MemorySegment control;
    private final LinkDirection[] directionWords;
    private final int directions;
    private final int ringCapacity;
    private final long linkGeneration;
    private final int portA;
    private final int portB;
    private final String poolName;
    private final long poolGeneration;

    private LinkRegion(SharedRegion region, int directions, int ringCapacity, long linkGeneration, int portA, int portB,
                       String poolName, long poolGeneration) {
        this.region = region;
        this.control = region.segment().asSlice(LinkRegionLayout.DESCRIPTOR_OFFSET, LinkRegionLayout.DESCRIPTOR_LENGTH);
        this.directionWords = new LinkDirection[directions];
        for (int d = 0; d < directions; d++) {
            directionWords[d] = new LinkDirection(region.segment().asSlice(LinkRegionLayout.directionOffset(d),
                    LinkRegionLayout.DIRECTION_LENGTH), d);
        }
        this.directions = directions;
        this.ringCapacity = ringCapacity;
        this.linkGeneration = linkGeneration;
        this.portA = portA;
        this.portB = portB;
        this.poolName = poolName;
        this.poolGeneration = poolGeneration;
    }

    /**
     * Creates link region {@code name} for link generation {@code linkGeneration} from port
     * {@code portA} to {@code portB}; {@code directions} is 2 for a point-to-point pair.
     */
    public static LinkRegion create(RegionOptions options, String name, long linkGeneration, int portA, int portB,
                                    int directions, int ringCapacity, PacketPool pool) throws IOException {
        if (directions != 1 && directions != 2) {
            throw new IllegalArgumentException("link " + name + ": " + directions + " directions, expected 1 or 2");
        }
        String poolName = pool.region().name();
        long poolGeneration = pool.region().generation();
        List<LayoutEntry> entries = new ArrayList<>();
        entries.add(new LayoutEntry(LinkRegionLayout.DESCRIPTOR_ENTRY, LinkRegionLayout.DESCRIPTOR_OFFSET,
                LinkRegionLayout.DESCRIPTOR_LENGTH));
        entries.add(new LayoutEntry(LinkRegionLayout.DIRECTIONS_ENTRY, LinkRegionLayout.DIRECTIONS_OFFSET,
                2L * LinkRegionLayout.DIRECTION_LENGTH));
        for (int i = 0; i < directions; i++) {
            entries.add(new LayoutEntry(i == 0 ? LinkRegionLayout.RING0_ENTRY : LinkRegionLayout.RING1_ENTRY,
                    LinkRegionLayout.ringOffset(i, ringCapacity), RingLayout.length(ringCapacity)));
        }
        SharedRegion region = SharedRegion.create(options, RegionKind.LINK, LinkRegionLayout.VERSION, name,
                LinkRegionLayout.length(directions, ringCapacity), linkGeneration, entries, segment -> {
                    long c = LinkRegionLayout.DESCRIPTOR_OFFSET;
                    segment.set(ValueLayout.JAVA_INT, c + LinkRegionLayout.CONTROL_VERSION_OFFSET,
                            LinkRegionLayout.CONTROL_VERSION);
                    segment.set(ValueLayout.JAVA_INT, c + LinkRegionLayout.DIRECTION_COUNT_OFFSET, directions);
                    segment.set(ValueLayout.JAVA_INT, c + LinkRegionLayout.RING_CAPACITY_OFFSET, ringCapacity);
                    segment.set(ValueLayout.JAVA_LONG, c + LinkRegionLayout.LINK_GENERATION_OFFSET, linkGeneration);
                    segment.set(ValueLayout.JAVA_INT, c + LinkRegionLayout.PORT_A_OFFSET, portA);
                    segment.set(ValueLayout.JAVA_INT, c + LinkRegionLayout.PORT_B_OFFSET, portB);
                    segment.set(ValueLayout.JAVA_LONG, c + LinkRegionLayout.POOL_GENERATION_OFFSET, poolGeneration);
                    segment.set(ValueLayout.JAVA_INT, c + LinkRegionLayout.LINK_STATE_OFFSET, LinkState.PLUGGING.code());
                    NulPaddedString.write(segment, c + LinkRegionLayout.POOL_NAME_OFFSET,
                            LinkRegionLayout.POOL_NAME_LENGTH, poolName);
                    for (int d = 0; d < 2; d++) {
                        LinkDirection.format(segment.asSlice(LinkRegionLayout.directionOffset(d),
                                LinkRegionLayout.DIRECTION_LENGTH));
                    }
                    for (int i = 0; i < directions; i++) {
                        SpscRing.format(segment, LinkRegionLayout.ringOffset(i, ringCapacity), ringCapacity);
                    }
                });
        return new LinkRegion(region, directions, ringCapacity, linkGeneration, portA, portB, poolName, poolGeneration);
    }

    /** Attaches the link region in {@code file}, checking header, control words and rings. */
    public static LinkRegion attach(Path file) throws IOException {
        return SharedRegion.attach(file, RegionKind.LINK, LinkRegionLayout.VERSION, LinkRegion::open);
    }

    private static LinkRegion open(SharedRegion region) throws RegionFormatException {
        Path file = region.file();
        MemorySegment segment = region.segment();
        PortRegion.expectEntry(region, LinkRegionLayout.DESCRIPTOR_ENTRY, LinkRegionLayout.DESCRIPTOR_OFFSET,
                LinkRegionLayout.DESCRIPTOR_LENGTH);
        PortRegion.expectEntry(region, LinkRegionLayout.DIRECTIONS_ENTRY, LinkRegionLayout.DIRECTIONS_OFFSET,
                2L * LinkRegionLayout.DIRECTION_LENGTH);
        long c = LinkRegionLayout.DESCRIPTOR_OFFSET;
        int controlVersion = segment.get(ValueLayout.JAVA_INT, c + LinkRegionLayout.CONTROL_VERSION_OFFSET);
        if (controlVersion != LinkRegionLayout.CONTROL_VERSION) {
            throw new RegionFormatException.VersionMismatch(file, "link protocol words", controlVersion,
                    LinkRegionLayout.CONTROL_VERSION);
        }
        int directions = segment.get(ValueLayout.JAVA_INT, c + LinkRegionLayout.DIRECTION_COUNT_OFFSET);
        int capacity = segment.get(ValueLayout.JAVA_INT, c + LinkRegionLayout.RING_CAPACITY_OFFSET);
        if (directions != 1 && directions != 2) {
            throw new RegionFormatException.Corrupt(file, c + LinkRegionLayout.DIRECTION_COUNT_OFFSET,
                    "direction count " + directions + ", expected 1 or 2");
        }
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new RegionFormatException.Corrupt(file, c + LinkRegionLayout.RING_CAPACITY_OFFSET,
                    "ring capacity " + capacity + " is not a power of two >= 2");
        }
        if (LinkRegionLayout.length(directions, capacity) > region.size()) {
            throw new RegionFormatException.TooSmall(file, directions + " link rings of " + capacity + " slots",
                    LinkRegionLayout.length(directions, capacity), region.size());
        }
        for (int i = 0; i < directions; i++) {
            long ring = LinkRegionLayout.ringOffset(i, capacity);
            PortRegion.expectEntry(region, i == 0 ? LinkRegionLayout.RING0_ENTRY : LinkRegionLayout.RING1_ENTRY, ring,
                    RingLayout.length(capacity));
            int found = segment.get(ValueLayout.JAVA_INT, ring + RingLayout.CAPACITY_OFFSET);
            int type = segment.get(ValueLayout.JAVA_INT, ring + RingLayout.TYPE_OFFSET);
            if (found != capacity || type != RingLayout.TYPE_SPSC) {
                throw new RegionFormatException.Corrupt(file, ring, "ring of capacity " + found + " and type " + type
                        + ", expected an SPSC ring of " + capacity);
            }
        }
        String poolName = NulPaddedString.read(segment, c + LinkRegionLayout.POOL_NAME_OFFSET,
                LinkRegionLayout.POOL_NAME_LENGTH);
        if (poolName == null || poolName.isEmpty()) {
            throw new RegionFormatException.Corrupt(file, c + LinkRegionLayout.POOL_NAME_OFFSET, "bad pool name");
        }
        return new LinkRegion(region, directions, capacity,
                segment.get(ValueLayout.JAVA_LONG, c + LinkRegionLayout.LINK_GENERATION_OFFSET),
                segment.get(ValueLayout.JAVA_INT, c + LinkRegionLayout.PORT_A_OFFSET),
                segment.get(ValueLayout.JAVA_INT, c + LinkRegionLayout.PORT_B_OFFSET),
                poolName, segment.get(ValueLayout.JAVA_LONG, c + LinkRegionLayout.POOL_GENERATION_OFFSET));
    }

    /** Ring {@code direction} (0: A⇒B, 1: B⇒A) bound to {@code pool}. */
    public SpscRing ring(int direction, PacketPool pool) {
        if (direction < 0 || direction >= directions) {
            throw new IllegalArgumentException("link '" + region.name() + "' has " + directions
                    + " direction(s), no ring " + direction);
        }
        if (!pool.region().name().equals(poolName) || pool.region().generation() != poolGeneration) {
            throw new IllegalArgumentException("link '" + region.name() + "' names pool '" + poolName + "' generation "
                    + poolGeneration + ", not " + pool);
        }
        return SpscRing.attach(region.segment(), LinkRegionLayout.ringOffset(direction, ringCapacity),
                RingLayout.length(ringCapacity), pool);
    }

    /** Records the link state, for observers. */
    public void linkState(LinkState state) {
        INT.setRelease(control, (long) LinkRegionLayout.LINK_STATE_OFFSET, state.code());
    }

    /** The stored state ({@code null} if the word holds no {@link LinkState} code). */
    public LinkState linkState() {
        return LinkState.fromCode((int) INT.getAcquire(control, (long) LinkRegionLayout.LINK_STATE_OFFSET));
    }

    /** The protocol words of direction {@code direction} (0: A⇒B, 1: B⇒A). */
    public LinkDirection direction(int direction) {
        if (direction < 0 || direction >= directions) {
            throw new IllegalArgumentException("link '" + region.name() + "' has " + directions
                    + " direction(s), no direction " + direction);
        }
        return directionWords[direction];
    }

    public void beatSwitchHeartbeat() {
        LONG.setOpaque(control, (long) LinkRegionLayout.SWITCH_HEARTBEAT_OFFSET,
                (long) LONG.getOpaque(control, (long) LinkRegionLayout.SWITCH_HEARTBEAT_OFFSET) + 1);
    }

    public long switchHeartbeat() {
        return (long) LONG.getOpaque(control, (long) LinkRegionLayout.SWITCH_HEARTBEAT_OFFSET);
    }

    public int directions() {
        return directions;
    }

    public int ringCapacity() {
        return ringCapacity;
    }

    public long linkGeneration() {
        return linkGeneration;
    }

    public int portA() {
        return portA;
    }

    public int portB() {
        return portB;
    }

    public String poolName() {
        return poolName;
    }

    /** Generation of the pool whose buffer indices the rings carry. */
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
        return "link " + linkGeneration + " (" + portA + (directions == 2 ? "<=>" : "=>") + portB + ", " + region.file() + ")";
    }
}
