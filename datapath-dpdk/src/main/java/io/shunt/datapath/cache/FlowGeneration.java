package io.shunt.datapath.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The flow-table generation: a counter the control plane advances after every change
 * of the tables behind the caches, and every PMD thread reads, without locks, at the
 * start of each burst.
 *
 * <p>Memory order. The control thread first publishes the new table state (its own
 * release store, e.g. of a copy-on-write snapshot), then calls {@link #advance()}, a
 * release. A PMD's {@link #current()} is an acquire: when it returns the new value,
 * everything the control thread wrote before advancing is visible to the PMD, so a
 * classifier lookup that follows sees the new tables. Cache entries carry the
 * generation read <em>before</em> the classifier lookup that built them; a lookup
 * returns an entry only when its generation equals the one the PMD read for the
 * current burst. Because generations only grow, an entry built from older tables can
 * never be returned once the PMD has read a newer generation.
 *
 * <p>Shared by the control plane and all PMD threads of a datapath.
 */
public final class FlowGeneration {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(FlowGeneration.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through VALUE only
    private long value = 1;

    /** The latest published generation (acquire; pairs with the release in {@link #advance()}). */
    public long current() {
        return (long) VALUE.getAcquire(this);
    }

    /**
     * Publishes a flow-table change: call after the new tables are visible to readers.
     * Atomic, so several control threads may call it. Returns the new generation.
     */
    public long advance() {
        return (long) VALUE.getAndAddRelease(this, 1L) + 1;
    }
}
