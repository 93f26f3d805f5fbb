package io.shunt.datapath.hostport;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads an interface's state from the kernel through ioctls on a datagram socket of the
 * caller's network namespace (the namespace the interface names live in). Not thread-safe:
 * used by one thread at a time (the link watcher, a port being opened). Cold path.
 */
public final class InterfaceQuery implements AutoCloseable {
    /** IFNAMSIZ: an interface name is at most 15 bytes plus the NUL. */
    public static final int MAX_NAME_LENGTH = 15;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCGIFMTU = 0x8921;
    private static final long SIOCGIFHWADDR = 0x8927;
    private static final long SIOCGIFINDEX = 0x8933;
    private static final int IFF_UP = 0x1;
    private static final int IFF_RUNNING = 0x40;
    /** struct ifreq: char ifr_name[16], then a 24-byte union (flags, mtu, ifindex, hwaddr sockaddr). */
    private static final int IFREQ_SIZE = 40;
    private static final int IFR_UNION = 16;
    /** ifr_hwaddr.sa_data starts after the 2-byte sa_family. */
    private static final int IFR_HWADDR_DATA = IFR_UNION + 2;

    /** Shared: a port opened on one thread is watched and closed on others (one at a time). */
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno = Libc.errnoSegment(arena);
    private final MemorySegment ifreq = arena.allocate(IFREQ_SIZE, 8);
    private final int fd;

    public InterfaceQuery() throws HostPortException {
        int s = Libc.socket(errno, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (s < 0) {
            int e = Libc.errno(errno);
            arena.close();
            throw HostPortException.call("interface query", "socket(AF_INET, SOCK_DGRAM)", e);
        }
        this.fd = s;
    }

    /** Checks that {@code name} can be an interface name (1..15 bytes, no '/', no NUL, no blank). */
    public static void checkName(String name) throws HostPortException {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > MAX_NAME_LENGTH || name.contains("/") || name.chars().anyMatch(
                c -> c == 0 || Character.isWhitespace(c))) {
            throw new HostPortException("'" + name + "' is not a valid interface name (1.." + MAX_NAME_LENGTH
                    + " bytes, no '/', NUL or blank)", 0);
        }
    }

    /**
     * The interface's state, or null when no interface of that name exists in this network
     * namespace (ENODEV).
     */
    public InterfaceState query(String name) throws HostPortException {
        checkName(name);
        if (!ioctl(name, SIOCGIFINDEX)) {
            return null;
        }
        int ifindex = ifreq.get(ValueLayout.JAVA_INT, IFR_UNION);
        if (!ioctl(name, SIOCGIFFLAGS)) {
            return null;
        }
        int flags = ifreq.get(ValueLayout.JAVA_SHORT, IFR_UNION) & 0xffff;
        if (!ioctl(name, SIOCGIFMTU)) {
            return null;
        }
        int mtu = ifreq.get(ValueLayout.JAVA_INT, IFR_UNION);
        if (!ioctl(name, SIOCGIFHWADDR)) {
            return null;
        }
        long mac = ((ifreq.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), IFR_HWADDR_DATA)
                & 0xffffL) << 32)
                | (ifreq.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), IFR_HWADDR_DATA + 2)
                & 0xffff_ffffL);
        return new InterfaceState(name, ifindex, (flags & IFF_UP) != 0, (flags & IFF_RUNNING) != 0, mtu, mac);
    }

    /** Runs one SIOCGIF* ioctl with the name filled in; false on ENODEV/ENXIO (no such interface). */
    private boolean ioctl(String name, long request) throws HostPortException {
        ifreq.fill((byte) 0);
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(b, 0, ifreq, ValueLayout.JAVA_BYTE, 0, b.length);
        if (Libc.ioctl(errno, fd, request, ifreq) == 0) {
            return true;
        }
        int e = Libc.errno(errno);
        if (e == Libc.ENODEV || e == Libc.ENXIO) {
            return false;
        }
        throw HostPortException.call("interface " + name, "ioctl(0x" + Long.toHexString(request) + ")", e);
    }

    @Override
    public void close() {
        Libc.close(errno, fd);
        arena.close();
    }
}
