package io.shunt.datapath.hostport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One counter with a single writer (the PMD that owns a port's receive side, or the holder
 * of its transmit lock) and readers on any thread. The writer adds with a plain read and
 * an opaque write (no read-modify-write instruction: there is one writer); readers read
 * opaquely, so a 64-bit value is never torn and is at most a burst old.
 */
final class PortCounter {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(PortCounter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long value;

    void add(long n) {
        VALUE.setOpaque(this, (long) VALUE.get(this) + n);
    }

    long get() {
        return (long) VALUE.getOpaque(this);
    }
}
