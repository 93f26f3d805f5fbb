package io.shunt.datapath.hostport;

import io.shunt.datapath.buffer.BufferLayout;
import io.shunt.datapath.engine.PortDriver;
import io.shunt.datapath.engine.TxLock;
import io.shunt.datapath.engine.PortStats;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.pool.PoolCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@code internal} port: a TAP device ({@code /dev/net/tun}, IFF_TAP | IFF_NO_PI) that
 * the switch creates, so the host's own stack sends and receives on the bridge through an
 * interface of that name (give it an address and bring it up with {@code ip}).
 *
 * <p>A TAP has no ring: each frame is one non-blocking {@code read} into a pool buffer
 * (directly, no intermediate copy) or one {@code write} from it. That is a system call per
 * frame, as OVS's tap ports do; an internal port carries the host's control traffic, not
 * the data plane. The device exists while the port does (closing the descriptor deletes it).
 */
public final class TapPort implements PortDriver, HostLink {
    private static final Logger log = LoggerFactory.getLogger(TapPort.class);
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final int ETHER_HEADER = 14;
    private static final int SPARE = 32;

    private final String name;
    private final int portNo;
    private final int fd;
    private final InterfaceQuery query;
    private final MemorySegment buffers;
    private final long bufferSize;
    private final int dataOffset;
    private final int room;
    private final long bufferAddress;
    private final Arena arena = Arena.ofShared();

    private final PoolCache rxCache;
    private final MemorySegment rxErrno = Libc.errnoSegment(arena);
    private final int[] spare = new int[SPARE];
    private int spareCount;
    private final PortCounter rxPackets = new PortCounter();
    private final PortCounter rxBytes = new PortCounter();
    private final PortCounter rxErrors = new PortCounter();

    private final TxLock txLock = new TxLock();
    private final PoolCache txCache;
    private final MemorySegment txErrno = Libc.errnoSegment(arena);
    private final PortCounter txPackets = new PortCounter();
    private final PortCounter txBytes = new PortCounter();
    private final PortCounter txDropped = new PortCounter();

    private volatile boolean linkUp;
    private volatile long mac;

    private TapPort(String name, int portNo, int fd, PacketPool pool, InterfaceQuery query, InterfaceState state) {
        this.name = name;
        this.portNo = portNo;
        this.fd = fd;
        this.query = query;
        this.buffers = pool.buffers();
        this.bufferSize = pool.bufferSize();
        this.dataOffset = pool.defaultDataOffset();
        this.room = pool.bufferSize() - pool.defaultDataOffset();
        this.bufferAddress = pool.buffers().address();
        this.rxCache = pool.newCache();
        this.txCache = pool.newCache();
        this.linkUp = state.linkUp();
        this.mac = state.mac();
    }

    /** Creates TAP device {@code name} (it must not exist) as port {@code portNo} over {@code pool}. */
    public static TapPort create(String name, int portNo, PacketPool pool) throws HostPortException {
        InterfaceQuery.checkName(name);
        String context = "internal port " + name;
        InterfaceQuery query = new InterfaceQuery();
        try (Arena tmp = Arena.ofConfined()) {
            if (query.query(name) != null) {
                throw new HostPortException(context + ": an interface named " + name + " already exists", 0);
            }
            MemorySegment errno = Libc.errnoSegment(tmp);
            int fd = Libc.open(errno, tmp.allocateFrom("/dev/net/tun"), Libc.O_RDWR | Libc.O_NONBLOCK
                    | Libc.O_CLOEXEC);
            if (fd < 0) {
                throw HostPortException.call(context, "open(/dev/net/tun)", Libc.errno(errno));
            }
            MemorySegment ifreq = tmp.allocate(40, 8);
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(b, 0, ifreq, ValueLayout.JAVA_BYTE, 0, b.length);
            ifreq.set(ValueLayout.JAVA_SHORT, 16, (short) (IFF_TAP | IFF_NO_PI));
            if (Libc.ioctl(errno, fd, TUNSETIFF, ifreq) != 0) {
                int e = Libc.errno(errno);
                Libc.close(errno, fd);
                throw HostPortException.call(context, "ioctl(TUNSETIFF, IFF_TAP | IFF_NO_PI)", e);
            }
            InterfaceState state = query.query(name);
            if (state == null) {
                Libc.close(errno, fd);
                throw new HostPortException(context + ": the TAP device vanished right after creation", 0);
            }
            log.info("{}: TAP device created (ifindex {}, MTU {}); bring it up with ip link set {} up", context,
                    state.ifindex(), state.mtu(), name);
            return new TapPort(name, portNo, fd, pool, query, state);
        } catch (HostPortException | RuntimeException e) {
            query.close();
            throw e;
        }
    }

    @Override
    public int portNo() {
        return portNo;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int rxBurst(int[] dst, int max) {
        int n = 0;
        long bytes = 0;
        while (n < max) {
            if (spareCount == 0) {
                spareCount = rxCache.allocBurst(spare, 0, SPARE);
                if (spareCount == 0) {
                    break;
                }
            }
            int index = spare[spareCount - 1];
            long base = (long) index * bufferSize;
            long r = Libc.read(rxErrno, fd, bufferAddress + base + dataOffset, room);
            if (r <= 0) {
                if (r < 0 && Libc.errno(rxErrno) != Libc.EAGAIN) {
                    rxErrors.add(1);
                }
                break;
            }
            if (r < ETHER_HEADER || r >= room) {
                // A runt, or a frame that filled the buffer and may have been cut.
                rxErrors.add(1);
                continue;
            }
            buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET, dataOffset);
            buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET, (int) r);
            buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.INPUT_PORT_OFFSET, portNo);
            buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.FLAGS_OFFSET, 0);
            spareCount--;
            dst[n++] = index;
            bytes += r;
        }
        if (n > 0) {
            rxPackets.add(n);
            rxBytes.add(bytes);
        }
        return n;
    }

    /** Writes each frame to the TAP; takes them all (a frame the kernel refuses is dropped and counted). */
    @Override
    public int txBurst(int[] src, int offset, int n) {
        txLock.lock();
        try {
            if (!linkUp) {
                return 0;
            }
            int sent = 0;
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                long base = (long) src[offset + i] * bufferSize;
                int from = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET);
                int length = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET);
                if (Libc.write(txErrno, fd, bufferAddress + base + from, length) == length) {
                    sent++;
                    bytes += length;
                }
            }
            txPackets.add(sent);
            txBytes.add(bytes);
            if (sent < n) {
                txDropped.add(n - sent);
            }
            txCache.freeBurst(src, offset, n);
            return n;
        } finally {
            txLock.unlock();
        }
    }

    @Override
    public void countTxDrops(int n) {
        txLock.lock();
        try {
            txDropped.add(n);
        } finally {
            txLock.unlock();
        }
    }

    @Override
    public boolean linkUp() {
        return linkUp;
    }

    @Override
    public long hwAddr() {
        return mac;
    }

    @Override
    public synchronized boolean refreshLink() {
        boolean before = linkUp;
        try {
            InterfaceState s = query.query(name);
            linkUp = s != null && s.up();
            if (s != null) {
                mac = s.mac();
            }
        } catch (HostPortException e) {
            log.warn("internal port {}: reading its state failed: {}", name, e.getMessage());
        }
        return before != linkUp;
    }

    @Override
    public Map<String, Long> detailCounters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rx_errors", rxErrors.get());
        return m;
    }

    @Override
    public PortStats stats() {
        return new PortStats(rxPackets.get(), rxBytes.get(), rxErrors.get(), txPackets.get(), txBytes.get(),
                txDropped.get());
    }

    @Override
    public void close() {
        rxCache.freeBurst(spare, 0, spareCount);
        spareCount = 0;
        rxCache.flush();
        txCache.flush();
        Libc.close(txErrno, fd);
        synchronized (this) {
            query.close();
        }
        arena.close();
        log.info("internal port {} closed (TAP device removed)", name);
    }

    @Override
    public String toString() {
        return "internal " + name + " (port " + portNo + ", TAP)";
    }
}
