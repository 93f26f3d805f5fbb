package io.shunt.datapath.hostport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.shunt.datapath.hostport.TpacketV3Layout.*;

/**
 * An AF_PACKET socket bound to one interface with a TPACKET_V3 receive ring and transmit
 * ring mapped into this process. Opening order matters: the socket is created with
 * protocol 0 (it receives nothing), the rings are set up and mapped, and only then is it
 * bound to the interface with ETH_P_ALL, so no frame arrives before the ring exists.
 *
 * <p>The mapping belongs to a shared arena: after {@link #close()} any access throws
 * instead of touching unmapped memory.
 */
final class PacketRingSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PacketRingSocket.class);

    final int fd;
    final int ifindex;
    final AfPacketConfig config;
    /** The whole mapping: receive blocks, then transmit frames. */
    final MemorySegment ring;
    private final Arena arena;
    /** Shared: the link watcher reads the statistics, the control thread closes. */
    private final Arena scratch = Arena.ofShared();
    private final MemorySegment errno = Libc.errnoSegment(scratch);
    private final MemorySegment stats = scratch.allocate(STATS_V3_SIZE, 4);
    private final MemorySegment statsLength = scratch.allocate(ValueLayout.JAVA_INT);
    private final String context;
    private long kernelDrops;
    private boolean closed;

    private PacketRingSocket(int fd, int ifindex, AfPacketConfig config, MemorySegment ring, Arena arena,
                             String context) {
        this.fd = fd;
        this.ifindex = ifindex;
        this.config = config;
        this.ring = ring;
        this.arena = arena;
        this.context = context;
    }

    /**
     * Opens the socket on interface {@code ifindex} ({@code context} names the port and the
     * interface in errors).
     */
    static PacketRingSocket open(String context, int ifindex, AfPacketConfig config) throws HostPortException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSegment(tmp);
            int fd = Libc.socket(errno, Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                int e = Libc.errno(errno);
                throw HostPortException.call(context, "socket(AF_PACKET, SOCK_RAW) (needs CAP_NET_RAW)", e);
            }
            Arena arena = null;
            try {
                setInt(tmp, errno, fd, SOL_PACKET, PACKET_VERSION, TPACKET_V3, context, "PACKET_VERSION=TPACKET_V3");
                // A transmit frame the kernel refuses (too long for the device) is skipped and marked
                // available again instead of blocking the ring's head for ever.
                setInt(tmp, errno, fd, SOL_PACKET, PACKET_LOSS, 1, context, "PACKET_LOSS");
                if (config.qdiscBypass()) {
                    setInt(tmp, errno, fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1, context, "PACKET_QDISC_BYPASS");
                }
                // Frames this host sends on the interface (its own stack, other sockets) are not input of
                // the port; the receive loop also drops PACKET_OUTGOING frames in case the kernel is older.
                trySetInt(tmp, errno, fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, context, "PACKET_IGNORE_OUTGOING");
                // Frames in flight on the transmit ring are charged to the send buffer: make room for all of them.
                trySetInt(tmp, errno, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE,
                        config.txFrames() * config.txFrameSize() * 2, context, "SO_SNDBUFFORCE");
                MemorySegment rx = tmp.allocate(REQ3_SIZE, 4);
                rx.set(ValueLayout.JAVA_INT, REQ3_BLOCK_SIZE, config.rxBlockSize());
                rx.set(ValueLayout.JAVA_INT, REQ3_BLOCK_NR, config.rxBlocks());
                // tp_frame_size/nr only have to be consistent for V3 receive: frames are variable-sized.
                rx.set(ValueLayout.JAVA_INT, REQ3_FRAME_SIZE, 2048);
                rx.set(ValueLayout.JAVA_INT, REQ3_FRAME_NR, config.rxBlockSize() / 2048 * config.rxBlocks());
                rx.set(ValueLayout.JAVA_INT, REQ3_RETIRE_BLK_TOV, config.retireMillis());
                rx.set(ValueLayout.JAVA_INT, REQ3_SIZEOF_PRIV, 0);
                rx.set(ValueLayout.JAVA_INT, REQ3_FEATURE_REQ_WORD, 0);
                check(Libc.setsockopt(errno, fd, SOL_PACKET, PACKET_RX_RING, rx), errno, context, "PACKET_RX_RING");
                MemorySegment tx = tmp.allocate(REQ3_SIZE, 4);
                tx.set(ValueLayout.JAVA_INT, REQ3_BLOCK_SIZE, AfPacketConfig.TX_BLOCK_SIZE);
                tx.set(ValueLayout.JAVA_INT, REQ3_BLOCK_NR, config.txBlocks());
                tx.set(ValueLayout.JAVA_INT, REQ3_FRAME_SIZE, config.txFrameSize());
                tx.set(ValueLayout.JAVA_INT, REQ3_FRAME_NR, config.txFrames());
                check(Libc.setsockopt(errno, fd, SOL_PACKET, PACKET_TX_RING, tx), errno, context,
                        "PACKET_TX_RING (TPACKET_V3 transmit needs Linux 4.11 or later)");
                long length = config.rxRingBytes() + config.txRingBytes();
                MemorySegment address = Libc.mmap(errno, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED,
                        fd, 0);
                if (address.address() == -1L) {
                    throw HostPortException.call(context, "mmap of " + length + " ring bytes", Libc.errno(errno));
                }
                arena = Arena.ofShared();
                MemorySegment ring = address.reinterpret(length, arena, seg -> {
                    try (Arena a = Arena.ofConfined()) {
                        Libc.munmap(Libc.errnoSegment(a), seg, seg.byteSize());
                    }
                });
                MemorySegment sll = tmp.allocate(SOCKADDR_LL_SIZE, 4);
                sll.set(ValueLayout.JAVA_SHORT, SLL_FAMILY, (short) Libc.AF_PACKET);
                sll.set(ValueLayout.JAVA_SHORT, SLL_PROTOCOL, ETH_P_ALL_BE);
                sll.set(ValueLayout.JAVA_INT, SLL_IFINDEX, ifindex);
                check(Libc.bind(errno, fd, sll), errno, context, "bind to ifindex " + ifindex);
                if (config.promiscuous()) {
                    MemorySegment mreq = tmp.allocate(MREQ_SIZE, 4);
                    mreq.set(ValueLayout.JAVA_INT, MREQ_IFINDEX, ifindex);
                    mreq.set(ValueLayout.JAVA_SHORT, MREQ_TYPE, (short) PACKET_MR_PROMISC);
                    check(Libc.setsockopt(errno, fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq), errno, context,
                            "PACKET_ADD_MEMBERSHIP PACKET_MR_PROMISC");
                }
                return new PacketRingSocket(fd, ifindex, config, ring, arena, context);
            } catch (HostPortException | RuntimeException e) {
                if (arena != null) {
                    arena.close();
                }
                Libc.close(errno, fd);
                throw e;
            }
        }
    }

    private static void setInt(Arena tmp, MemorySegment errno, int fd, int level, int name, int value, String context,
                               String what) throws HostPortException {
        MemorySegment v = tmp.allocate(ValueLayout.JAVA_INT);
        v.set(ValueLayout.JAVA_INT, 0, value);
        check(Libc.setsockopt(errno, fd, level, name, v), errno, context, "setsockopt " + what);
    }

    private static void trySetInt(Arena tmp, MemorySegment errno, int fd, int level, int name, int value,
                                  String context, String what) {
        MemorySegment v = tmp.allocate(ValueLayout.JAVA_INT);
        v.set(ValueLayout.JAVA_INT, 0, value);
        if (Libc.setsockopt(errno, fd, level, name, v) != 0) {
            int e = Libc.errno(errno);
            log.info("{}: setsockopt {} not applied: {} (errno {})", context, what, Libc.strerror(e), e);
        }
    }

    private static void check(int result, MemorySegment errno, String context, String what) throws HostPortException {
        if (result != 0) {
            throw HostPortException.call(context, what, Libc.errno(errno));
        }
    }

    /**
     * Frames the kernel dropped because the receive ring was full, since the port opened
     * (PACKET_STATISTICS; reading resets the kernel's count, so this accumulates). Cold path,
     * one thread at a time.
     */
    synchronized long kernelDrops() {
        if (closed) {
            return kernelDrops;
        }
        statsLength.set(ValueLayout.JAVA_INT, 0, STATS_V3_SIZE);
        if (Libc.getsockopt(errno, fd, SOL_PACKET, PACKET_STATISTICS, stats, statsLength) == 0) {
            kernelDrops += stats.get(ValueLayout.JAVA_INT, STATS_DROPS) & 0xffff_ffffL;
        }
        return kernelDrops;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        arena.close();
        if (Libc.close(errno, fd) != 0) {
            log.warn("{}: close of the packet socket failed: {}", context, Libc.strerror(Libc.errno(errno)));
        }
        scratch.close();
    }
}
