package io.shunt.datapath.guest.pci;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Optional;

/**
 * A netlink socket subscribed to the kernel's uevents ({@code NETLINK_KOBJECT_UEVENT},
 * multicast group 1), through FFM: how the guest shim learns, within milliseconds and without
 * polling, that a device was hot-plugged or removed. A blocked {@link #receive} costs nothing;
 * the receive timeout only bounds how long a stop request waits.
 *
 * <p>Only datagrams sent by the kernel (source port id 0) are accepted. If the socket's buffer
 * overflowed (events were lost), {@link #receive} throws {@link Overrun}: the caller must
 * rescan the bus. One thread uses a socket; {@link #close} after that thread stopped.
 * Needs {@code --enable-native-access} for the calling module.
 */
public final class UeventSocket implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_KOBJECT_UEVENT = 15;
    /** The group the kernel multicasts uevents to (udev re-broadcasts on group 2). */
    private static final int KERNEL_GROUP = 1;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_RCVBUF = 8;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ENOBUFS = 105;
    /** The kernel never sends more than UEVENT_BUFFER_SIZE (2048) bytes per event. */
    private static final int DATAGRAM_CAPACITY = 8192;

    /** struct sockaddr_nl: family, pad, port id, groups. */
    private static final StructLayout SOCKADDR_NL = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("nl_family"),
            ValueLayout.JAVA_SHORT.withName("nl_pad"),
            ValueLayout.JAVA_INT.withName("nl_pid"),
            ValueLayout.JAVA_INT.withName("nl_groups"));
    private static final long NL_PID_OFFSET = SOCKADDR_NL.byteOffset(MemoryLayout.PathElement.groupElement("nl_pid"));
    private static final long NL_GROUPS_OFFSET = SOCKADDR_NL.byteOffset(MemoryLayout.PathElement.groupElement("nl_groups"));
    /** struct timeval: seconds, microseconds. */
    private static final StructLayout TIMEVAL = MemoryLayout.structLayout(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = downcall("bind",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECVFROM = downcall("recvfrom",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** Thrown by {@link #receive} when the kernel dropped events because the socket buffer was full. */
    public static final class Overrun extends IOException {
        Overrun() {
            super("uevent socket overrun (ENOBUFS): events were lost, rescan the bus");
        }
    }

    // Shared: opened by one thread, used by the watcher thread; closed once, off any hot path.
    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = arena.allocate(CALL_STATE);
    private final MemorySegment datagram = arena.allocate(DATAGRAM_CAPACITY);
    private final MemorySegment source = arena.allocate(SOCKADDR_NL);
    private final MemorySegment sourceLength = arena.allocate(ValueLayout.JAVA_INT);
    private final byte[] bytes = new byte[DATAGRAM_CAPACITY];
    private final int fd;
    private boolean closed;

    private UeventSocket(int fd) {
        this.fd = fd;
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name + "()"));
        return LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO);
    }

    /**
     * Opens a socket bound to the kernel's uevent group, whose {@link #receive} returns after at
     * most {@code timeout} when nothing arrives.
     */
    public static UeventSocket open(Duration timeout) throws IOException {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment state = scratch.allocate(CALL_STATE);
            int fd = (int) SOCKET.invokeExact(state, AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
            if (fd < 0) {
                throw failure("socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)", state);
            }
            UeventSocket socket = new UeventSocket(fd);
            try {
                MemorySegment address = scratch.allocate(SOCKADDR_NL);
                address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
                // Port id 0: the kernel assigns one; groups: the kernel's uevent group only.
                address.set(ValueLayout.JAVA_INT, NL_PID_OFFSET, 0);
                address.set(ValueLayout.JAVA_INT, NL_GROUPS_OFFSET, KERNEL_GROUP);
                if ((int) BIND.invokeExact(state, fd, address, (int) SOCKADDR_NL.byteSize()) != 0) {
                    throw failure("bind(netlink uevent group " + KERNEL_GROUP + ")", state);
                }
                MemorySegment timeval = scratch.allocate(TIMEVAL);
                long micros = Math.max(1000, timeout.toNanos() / 1000);
                timeval.set(ValueLayout.JAVA_LONG, 0, micros / 1_000_000);
                timeval.set(ValueLayout.JAVA_LONG, 8, micros % 1_000_000);
                if ((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_RCVTIMEO, timeval, (int) TIMEVAL.byteSize()) != 0) {
                    throw failure("setsockopt(SO_RCVTIMEO)", state);
                }
                // A burst of hot-plugs (several links at once) must not overflow the default buffer.
                MemorySegment size = scratch.allocateFrom(ValueLayout.JAVA_INT, 1 << 20);
                if ((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_RCVBUF, size, Integer.BYTES) != 0) {
                    throw failure("setsockopt(SO_RCVBUF)", state);
                }
                return socket;
            } catch (IOException | RuntimeException | Error e) {
                socket.close();
                throw e;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call failed", t);
        }
    }

    /**
     * Waits for the next kernel uevent, at most the timeout given at {@link #open}.
     *
     * @return the event, or empty on timeout (or for a datagram that is not a uevent)
     * @throws Overrun if events were lost
     */
    public Optional<Uevent> receive() throws IOException {
        while (true) {
            sourceLength.set(ValueLayout.JAVA_INT, 0, (int) SOCKADDR_NL.byteSize());
            long n;
            try {
                n = (long) RECVFROM.invokeExact(callState, fd, datagram, (long) DATAGRAM_CAPACITY, 0, source, sourceLength);
            } catch (Throwable t) {
                throw new IllegalStateException("recvfrom on the uevent socket failed", t);
            }
            if (n < 0) {
                int errno = (int) ERRNO.get(callState, 0L);
                if (errno == EINTR) {
                    continue;
                }
                if (errno == EAGAIN) {
                    return Optional.empty();
                }
                if (errno == ENOBUFS) {
                    throw new Overrun();
                }
                throw new IOException("recvfrom on the uevent socket failed: errno " + errno);
            }
            if (source.get(ValueLayout.JAVA_INT, NL_PID_OFFSET) != 0) {
                // Not from the kernel: some user-space process multicasting; ignore it.
                continue;
            }
            int length = (int) Math.min(n, DATAGRAM_CAPACITY);
            MemorySegment.copy(datagram, ValueLayout.JAVA_BYTE, 0, bytes, 0, length);
            return Optional.ofNullable(Uevent.parse(bytes, length));
        }
    }

    private static IOException failure(String call, MemorySegment state) {
        return new IOException(call + " failed: errno " + (int) ERRNO.get(state, 0L));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int ignored = (int) CLOSE.invokeExact(callState, fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close of the uevent socket failed", t);
        } finally {
            arena.close();
        }
    }
}
