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
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.shunt.datapath.hostport.TpacketV3Layout.*;

/**
 * An {@code afpacket} port: an existing Linux interface (a veth, a NIC) seen through a
 * TPACKET_V3 memory-mapped AF_PACKET socket ({@link PacketRingSocket}), the "physical
 * port" of a host without a DPDK NIC.
 *
 * <p>Receive (the owning PMD only): the PMD polls the status word of the current receive
 * block in the shared ring (no system call); a block handed over by the kernel is walked
 * packet by packet, each frame copied into a buffer of the bridge's pool, and the block
 * given back as a whole. A VLAN tag the kernel took out of the frame (the header's
 * {@code tp_vlan_tci}, the ring's form of PACKET_AUXDATA) is put back in front of the
 * EtherType, so flows see the frame as it was on the wire. Every offset and length the
 * ring gives is checked against the block before use; a bad one ends the block and is
 * counted.
 *
 * <p>Transmit (any PMD, under a per-port spin lock as {@code DpdkrPort}): each frame is
 * copied into the next free slot of the TPACKET_V3 transmit ring and marked SEND_REQUEST;
 * one {@code sendto(fd, NULL, 0, MSG_DONTWAIT)} per burst makes the kernel send every
 * marked slot. Chosen over sendmmsg: one system call per burst either way, but the ring
 * needs no msghdr/iovec arrays and the kernel reads the frames where we wrote them. A full
 * ring drops (counted); it never blocks a PMD.
 */
public final class AfPacketPort implements PortDriver, HostLink {
    private static final Logger log = LoggerFactory.getLogger(AfPacketPort.class);
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ETHER_HEADER = 14;
    private static final int VLAN_TAG = 4;
    private static final int SPARE = 64;

    private final String name;
    private final String ifname;
    private final int portNo;
    private final PacketRingSocket socket;
    private final MemorySegment ring;
    private final MemorySegment buffers;
    private final long bufferSize;
    private final int dataOffset;
    private final InterfaceQuery query;

    // Receive side: the owning PMD's alone.
    private final PoolCache rxCache;
    private final int[] spare = new int[SPARE];
    private int spareCount;
    private final int blockSize;
    private final int blockCount;
    private final int maxPacketsPerBlock;
    private int block;
    private int remaining;
    private long packet;
    private final PortCounter rxPackets = new PortCounter();
    private final PortCounter rxBytes = new PortCounter();
    private final PortCounter rxMalformed = new PortCounter();
    private final PortCounter rxOversize = new PortCounter();
    private final PortCounter rxOutgoing = new PortCounter();

    // Transmit side: the holder of txLock's.
    private final TxLock txLock = new TxLock();
    private final PoolCache txCache;
    private final MemorySegment txErrno;
    private final Arena txArena = Arena.ofShared();
    private final long txBase;
    private final int txFrameSize;
    private final int txFrames;
    private final int txFramesPerBlock;
    private int txHead;
    private final PortCounter txPackets = new PortCounter();
    private final PortCounter txBytes = new PortCounter();
    private final PortCounter txDropped = new PortCounter();
    private final PortCounter txOversize = new PortCounter();
    private final PortCounter txRingFull = new PortCounter();
    private final PortCounter txLinkDown = new PortCounter();
    private final PortCounter txKickErrors = new PortCounter();
    private int lastKickErrno;

    // Link state: written by the link watcher, read by the PMDs.
    private volatile boolean linkUp;
    private volatile int mtu;
    private volatile long mac;
    private volatile boolean gone;

    private AfPacketPort(String name, String ifname, int portNo, PacketPool pool, PacketRingSocket socket,
                         InterfaceState state, InterfaceQuery query) {
        this.name = name;
        this.ifname = ifname;
        this.portNo = portNo;
        this.socket = socket;
        this.ring = socket.ring;
        this.query = query;
        this.buffers = pool.buffers();
        this.bufferSize = pool.bufferSize();
        this.dataOffset = pool.defaultDataOffset();
        this.rxCache = pool.newCache();
        this.txCache = pool.newCache();
        this.txErrno = Libc.errnoSegment(txArena);
        AfPacketConfig c = socket.config;
        this.blockSize = c.rxBlockSize();
        this.blockCount = c.rxBlocks();
        this.maxPacketsPerBlock = (blockSize - BLOCK_DESC_SIZE) / TPACKET3_HDR_SIZE;
        this.txBase = c.rxRingBytes();
        this.txFrameSize = c.txFrameSize();
        this.txFrames = c.txFrames();
        this.txFramesPerBlock = AfPacketConfig.TX_BLOCK_SIZE / txFrameSize;
        this.linkUp = state.linkUp();
        this.mtu = state.mtu();
        this.mac = state.mac();
    }

    /**
     * Opens interface {@code ifname} (of the caller's network namespace) as OpenFlow port
     * {@code portNo} named {@code name}, over {@code pool}.
     *
     * @throws HostPortException no such interface, or a socket call failed (the message says which)
     */
    public static AfPacketPort open(String name, String ifname, int portNo, PacketPool pool, AfPacketConfig config)
            throws HostPortException {
        String context = "afpacket port " + name + " (interface " + ifname + ")";
        InterfaceQuery query = new InterfaceQuery();
        try {
            InterfaceState state = query.query(ifname);
            if (state == null) {
                throw new HostPortException(context + ": no interface named " + ifname
                        + " in this network namespace (see ip link show)", Libc.ENODEV);
            }
            if (config.txFrameSize() - TX_DATA < Math.min(state.mtu() + ETHER_HEADER + VLAN_TAG,
                    pool.dataRoom())) {
                log.warn("{}: MTU {} is larger than a transmit slot ({} bytes): longer frames are dropped", context,
                        state.mtu(), config.txFrameSize() - TX_DATA);
            }
            PacketRingSocket socket = PacketRingSocket.open(context, state.ifindex(), config);
            AfPacketPort port = new AfPacketPort(name, ifname, portNo, pool, socket, state, query);
            log.info("{}: ifindex {}, MTU {}, link {}, rx {} x {} KiB blocks, tx {} x {} B slots", context,
                    state.ifindex(), state.mtu(), state.linkUp() ? "up" : "down", config.rxBlocks(),
                    config.rxBlockSize() / 1024, config.txFrames(), config.txFrameSize());
            return port;
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

    /** The Linux interface this port drives. */
    public String interfaceName() {
        return ifname;
    }

    // ---------------------------------------------------------------- receive

    @Override
    public int rxBurst(int[] dst, int max) {
        int n = 0;
        long bytes = 0;
        while (n < max) {
            if (remaining == 0 && !openBlock()) {
                break;
            }
            if (spareCount == 0) {
                spareCount = rxCache.allocBurst(spare, 0, SPARE / 2);
                if (spareCount == 0) {
                    // Pool dry: the frame stays in the ring (the kernel drops into later blocks, counted there).
                    break;
                }
            }
            long blockStart = (long) block * blockSize;
            long blockEnd = blockStart + blockSize;
            long p = packet;
            int length = copyIn(p, blockEnd, spare[spareCount - 1]);
            if (length > 0) {
                dst[n++] = spare[--spareCount];
                bytes += length;
            }
            if (--remaining > 0) {
                long next = Integer.toUnsignedLong(ring.get(ValueLayout.JAVA_INT, p + TP_NEXT_OFFSET));
                if (next < TPACKET3_HDR_SIZE || p + next + TPACKET3_HDR_SIZE > blockEnd) {
                    rxMalformed.add(1);
                    remaining = 0;
                } else {
                    packet = p + next;
                }
            }
            if (remaining == 0) {
                releaseBlock();
            }
        }
        if (n > 0) {
            rxPackets.add(n);
            rxBytes.add(bytes);
        }
        return n;
    }

    /** Takes the current block if the kernel has handed it over; false if it has not. */
    private boolean openBlock() {
        long start = (long) block * blockSize;
        // Acquire: pairs with the kernel's smp_wmb before it sets TP_STATUS_USER; the packets are visible.
        int status = (int) INT.getAcquire(ring, start + BLOCK_STATUS);
        if ((status & TP_STATUS_USER) == 0) {
            return false;
        }
        int count = ring.get(ValueLayout.JAVA_INT, start + BLOCK_NUM_PKTS);
        long first = Integer.toUnsignedLong(ring.get(ValueLayout.JAVA_INT, start + BLOCK_OFFSET_TO_FIRST_PKT));
        if (count <= 0 || count > maxPacketsPerBlock || first < BLOCK_DESC_SIZE
                || first + TPACKET3_HDR_SIZE > blockSize) {
            if (count != 0) {
                rxMalformed.add(1);
            }
            releaseBlock();
            // The next block may be ready too: let the caller's loop look (bounded by the block count).
            return openNextIfReady();
        }
        remaining = count;
        packet = start + first;
        return true;
    }

    private boolean openNextIfReady() {
        long start = (long) block * blockSize;
        int status = (int) INT.getAcquire(ring, start + BLOCK_STATUS);
        return (status & TP_STATUS_USER) != 0 && openBlock();
    }

    private void releaseBlock() {
        // Release: every read of this block happens before the kernel may refill it.
        INT.setRelease(ring, (long) block * blockSize + BLOCK_STATUS, TP_STATUS_KERNEL);
        block = block + 1 == blockCount ? 0 : block + 1;
        remaining = 0;
    }

    /**
     * Copies the frame of packet header {@code p} into pool buffer {@code index}; returns its
     * length, or 0 if it was dropped (counted).
     */
    private int copyIn(long p, long blockEnd, int index) {
        int snap = ring.get(ValueLayout.JAVA_INT, p + TP_SNAPLEN);
        int wire = ring.get(ValueLayout.JAVA_INT, p + TP_LEN);
        int mac = ring.get(ValueLayout.JAVA_SHORT, p + TP_MAC) & 0xffff;
        int status = ring.get(ValueLayout.JAVA_INT, p + TP_STATUS);
        if (mac < TPACKET3_HDR_SIZE || snap < ETHER_HEADER || p + mac + Integer.toUnsignedLong(snap) > blockEnd) {
            rxMalformed.add(1);
            return 0;
        }
        if ((ring.get(ValueLayout.JAVA_BYTE, p + TP_SOCKADDR + SLL_PKTTYPE) & 0xff) == PACKET_OUTGOING) {
            rxOutgoing.add(1);
            return 0;
        }
        boolean tagged = (status & TP_STATUS_VLAN_VALID) != 0;
        int length = snap + (tagged ? VLAN_TAG : 0);
        if (snap != wire || length > bufferSize - dataOffset) {
            // Cut by the ring (a GSO frame from a peer with TSO on, or longer than a block) or too long for a buffer.
            rxOversize.add(1);
            return 0;
        }
        long base = (long) index * bufferSize;
        long to = base + dataOffset;
        long from = p + mac;
        if (tagged) {
            int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0
                    ? ring.get(ValueLayout.JAVA_SHORT, p + TP_VLAN_TPID) & 0xffff : 0x8100;
            int tci = ring.get(ValueLayout.JAVA_INT, p + TP_VLAN_TCI) & 0xffff;
            MemorySegment.copy(ring, from, buffers, to, 12);
            buffers.set(BE16, to + 12, (short) tpid);
            buffers.set(BE16, to + 14, (short) tci);
            MemorySegment.copy(ring, from + 12, buffers, to + 16, snap - 12);
        } else {
            MemorySegment.copy(ring, from, buffers, to, snap);
        }
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET, dataOffset);
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET, length);
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.INPUT_PORT_OFFSET, portNo);
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.FLAGS_OFFSET, 0);
        return length;
    }

    // ---------------------------------------------------------------- transmit

    /**
     * Queues the first frames of {@code src[offset..offset+n)} on the transmit ring and
     * returns how many it took: sent ones, and ones it dropped itself (too long for the
     * interface, counted as tx drops); the caller frees and counts the rest. Nothing is
     * taken while the link is down.
     */
    @Override
    public int txBurst(int[] src, int offset, int n) {
        txLock.lock();
        try {
            if (!linkUp) {
                txLinkDown.add(n);
                return 0;
            }
            int maxPlain = mtu + ETHER_HEADER;
            int slotRoom = txFrameSize - TX_DATA;
            int taken = 0;
            int queued = 0;
            long bytes = 0;
            int head = txHead;
            for (; taken < n; taken++) {
                long slot = txSlot(head);
                // Acquire: pairs with the kernel's release of the slot (TP_STATUS_AVAILABLE after the skb is freed).
                int status = (int) INT.getAcquire(ring, slot + TP_STATUS);
                if (status != TP_STATUS_AVAILABLE && status != TP_STATUS_WRONG_FORMAT) {
                    txRingFull.add(n - taken);
                    break;
                }
                int index = src[offset + taken];
                long base = (long) index * bufferSize;
                int from = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET);
                int length = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET);
                int limit = maxPlain + (length >= ETHER_HEADER + VLAN_TAG && isVlan(base + from) ? VLAN_TAG : 0);
                if (length < ETHER_HEADER || length > limit || length > slotRoom) {
                    txOversize.add(1);
                    continue;
                }
                MemorySegment.copy(buffers, base + from, ring, slot + TX_DATA, length);
                ring.set(ValueLayout.JAVA_INT, slot + TP_NEXT_OFFSET, 0);
                ring.set(ValueLayout.JAVA_INT, slot + TP_LEN, length);
                ring.set(ValueLayout.JAVA_INT, slot + TP_SNAPLEN, length);
                // Release: the frame and its length are written before the kernel can see SEND_REQUEST.
                INT.setRelease(ring, slot + TP_STATUS, TP_STATUS_SEND_REQUEST);
                head = head + 1 == txFrames ? 0 : head + 1;
                queued++;
                bytes += length;
            }
            txHead = head;
            if (queued > 0) {
                kick();
                txPackets.add(queued);
                txBytes.add(bytes);
            }
            int dropped = taken - queued;
            if (dropped > 0) {
                txDropped.add(dropped);
            }
            // Every taken frame was copied or dropped: its pool buffer is free again.
            txCache.freeBurst(src, offset, taken);
            return taken;
        } finally {
            txLock.unlock();
        }
    }

    private boolean isVlan(long frame) {
        int type = buffers.get(BE16, frame + 12) & 0xffff;
        return type == 0x8100 || type == 0x88a8;
    }

    private long txSlot(int frame) {
        int block = frame / txFramesPerBlock;
        return txBase + (long) block * AfPacketConfig.TX_BLOCK_SIZE + (long) (frame - block * txFramesPerBlock)
                * txFrameSize;
    }

    /** Makes the kernel send every SEND_REQUEST slot; non-blocking. */
    private void kick() {
        long r = Libc.sendto(txErrno, socket.fd, 0L, 0L, Libc.MSG_DONTWAIT);
        if (r < 0) {
            int e = Libc.errno(txErrno);
            // EAGAIN/ENOBUFS: the slots stay marked and go with the next kick. Others: the link went away.
            if (e != Libc.EAGAIN && e != Libc.ENOBUFS && e != Libc.EINTR) {
                txKickErrors.add(1);
                if (e != lastKickErrno) {
                    lastKickErrno = e;
                    log.warn("afpacket port {} (interface {}): sendto failed: {} (errno {})", name, ifname,
                            Libc.strerror(e), e);
                }
            }
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

    // ---------------------------------------------------------------- link and counters

    @Override
    public boolean linkUp() {
        return linkUp;
    }

    /** The interface's MTU as last read. */
    public int mtu() {
        return mtu;
    }

    @Override
    public long hwAddr() {
        return mac;
    }

    @Override
    public synchronized boolean refreshLink() {
        boolean before = linkUp;
        if (!gone) {
            try {
                InterfaceState s = query.query(ifname);
                if (s == null || s.ifindex() != socket.ifindex) {
                    // Deleted (maybe re-created: a new ifindex this socket is not bound to). Stays down.
                    gone = true;
                    linkUp = false;
                    log.warn("afpacket port {}: interface {} (ifindex {}) is gone; the port stays down until it"
                            + " is deleted and added again", name, ifname, socket.ifindex);
                } else {
                    mtu = s.mtu();
                    mac = s.mac();
                    linkUp = s.linkUp();
                }
            } catch (HostPortException e) {
                log.warn("afpacket port {}: reading the state of {} failed: {}", name, ifname, e.getMessage());
            }
        }
        return before != linkUp;
    }

    @Override
    public PortStats stats() {
        return new PortStats(rxPackets.get(), rxBytes.get(), rxMalformed.get() + rxOversize.get(), txPackets.get(),
                txBytes.get(), txDropped.get());
    }

    @Override
    public Map<String, Long> detailCounters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rx_malformed", rxMalformed.get());
        m.put("rx_oversize", rxOversize.get());
        m.put("rx_outgoing_ignored", rxOutgoing.get());
        m.put("rx_kernel_drops", socket.kernelDrops());
        m.put("tx_oversize", txOversize.get());
        m.put("tx_ring_full", txRingFull.get());
        m.put("tx_link_down", txLinkDown.get());
        m.put("tx_kick_errors", txKickErrors.get());
        m.put("mtu", (long) mtu);
        return m;
    }

    /** Returns the buffers this port holds to the pool and closes the socket. Called once no PMD uses it. */
    @Override
    public void close() {
        rxCache.freeBurst(spare, 0, spareCount);
        spareCount = 0;
        rxCache.flush();
        txLock.lock();
        try {
            txCache.flush();
        } finally {
            txLock.unlock();
        }
        socket.close();
        synchronized (this) {
            query.close();
        }
        txArena.close();
        log.info("afpacket port {} (interface {}) closed", name, ifname);
    }

    @Override
    public String toString() {
        return "afpacket " + name + " (port " + portNo + ", interface " + ifname + ")";
    }
}
