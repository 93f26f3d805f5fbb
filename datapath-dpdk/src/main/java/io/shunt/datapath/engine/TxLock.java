package io.shunt.datapath.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The spin lock that serialises the PMD threads of a bridge transmitting on one port whose
 * transmit queue has a single producer (a ring's producer side, a socket's TX ring, a TAP
 * descriptor), as OVS guards a transmit queue shared by PMDs. Held for one burst at most, never
 * across a blocking call; uncontended with one PMD, so its cost there is one CAS and one release
 * store per burst.
 *
 * <p>Memory order: {@link #lock} is a CAS (acquire), {@link #unlock} a release store, so
 * everything the holder wrote (ring slots, producer counters) happens before the next holder's
 * reads.
 */
public final class TxLock {
    private static final VarHandle HELD;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(TxLock.class, "held", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through HELD
    private volatile int held;

    public void lock() {
        while (!HELD.compareAndSet(this, 0, 1)) {
            Thread.onSpinWait();
        }
    }

    public void unlock() {
        HELD.setRelease(this, 0);
    }
}
