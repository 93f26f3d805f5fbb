package io.shunt.datapath.hostport;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls the host ports make (socket, setsockopt, mmap, sendto, ioctl, open,
 * read, write...), bound once through the FFM linker. Every call captures {@code errno}
 * ({@link Linker.Option#captureCallState}) into a segment the caller owns, so a failure
 * can say why; {@link #errno} reads it back. Pointer arguments of the calls made per
 * packet or per burst ({@link #read}, {@link #write}, {@link #sendto}) are plain
 * addresses ({@code long}): the caller passes {@code segment.address() + offset} and
 * nothing is allocated on the packet path. On x86-64 and aarch64 a pointer and a
 * {@code long} are passed in the same integer register, so the binding is exact.
 */
final class Libc {
    static final int AF_INET = 2;
    static final int AF_PACKET = 17;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUFFORCE = 32;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int MSG_DONTWAIT = 0x40;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOBUFS = 105;
    static final int ENODEV = 19;
    static final int ENXIO = 6;
    static final int ENETDOWN = 100;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout ADDRESS = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = errnoCall("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle BIND = errnoCall("bind", FunctionDescriptor.of(INT, INT, ADDRESS, INT));
    private static final MethodHandle SETSOCKOPT = errnoCall("setsockopt",
            FunctionDescriptor.of(INT, INT, INT, INT, ADDRESS, INT));
    private static final MethodHandle GETSOCKOPT = errnoCall("getsockopt",
            FunctionDescriptor.of(INT, INT, INT, INT, ADDRESS, ADDRESS));
    private static final MethodHandle MMAP = errnoCall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, LONG, INT, INT, INT, LONG));
    private static final MethodHandle MUNMAP = errnoCall("munmap", FunctionDescriptor.of(INT, ADDRESS, LONG));
    private static final MethodHandle CLOSE = errnoCall("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle SENDTO = errnoCall("sendto",
            FunctionDescriptor.of(LONG, INT, LONG, LONG, INT, LONG, INT));
    private static final MethodHandle READ = errnoCall("read", FunctionDescriptor.of(LONG, INT, LONG, LONG));
    private static final MethodHandle WRITE = errnoCall("write", FunctionDescriptor.of(LONG, INT, LONG, LONG));
    private static final MethodHandle IOCTL = LINKER.downcallHandle(LIBC.find("ioctl").orElseThrow(),
            FunctionDescriptor.of(INT, INT, LONG, ADDRESS), ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LIBC.find("open").orElseThrow(),
            FunctionDescriptor.of(INT, ADDRESS, INT, INT), ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, INT));

    private Libc() {
    }

    private static MethodHandle errnoCall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, ERRNO_OPTION);
    }

    /** A segment to capture errno into; one per thread that makes calls (or per lock holder). */
    static MemorySegment errnoSegment(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /** The C library's text for an errno value ("No such device"). */
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    static int socket(MemorySegment capture, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(capture, domain, type, protocol);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int bind(MemorySegment capture, int fd, MemorySegment address) {
        try {
            return (int) BIND.invokeExact(capture, fd, address, (int) address.byteSize());
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int setsockopt(MemorySegment capture, int fd, int level, int name, MemorySegment value) {
        try {
            return (int) SETSOCKOPT.invokeExact(capture, fd, level, name, value, (int) value.byteSize());
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** getsockopt into {@code value}; {@code length} is a 4-byte segment holding the size in and out. */
    static int getsockopt(MemorySegment capture, int fd, int level, int name, MemorySegment value,
                          MemorySegment length) {
        try {
            return (int) GETSOCKOPT.invokeExact(capture, fd, level, name, value, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static MemorySegment mmap(MemorySegment capture, long length, int prot, int flags, int fd, long offset) {
        try {
            return (MemorySegment) MMAP.invokeExact(capture, MemorySegment.NULL, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int munmap(MemorySegment capture, MemorySegment address, long length) {
        try {
            return (int) MUNMAP.invokeExact(capture, address, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int close(MemorySegment capture, int fd) {
        try {
            return (int) CLOSE.invokeExact(capture, fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** sendto(fd, buf, len, flags, NULL, 0) with {@code buf} an address (0 for the TX-ring kick). */
    static long sendto(MemorySegment capture, int fd, long buf, long len, int flags) {
        try {
            return (long) SENDTO.invokeExact(capture, fd, buf, len, flags, 0L, 0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long read(MemorySegment capture, int fd, long buf, long len) {
        try {
            return (long) READ.invokeExact(capture, fd, buf, len);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long write(MemorySegment capture, int fd, long buf, long len) {
        try {
            return (long) WRITE.invokeExact(capture, fd, buf, len);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int ioctl(MemorySegment capture, int fd, long request, MemorySegment argument) {
        try {
            return (int) IOCTL.invokeExact(capture, fd, request, argument);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int open(MemorySegment capture, MemorySegment path, int flags) {
        try {
            return (int) OPEN.invokeExact(capture, path, flags, 0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
