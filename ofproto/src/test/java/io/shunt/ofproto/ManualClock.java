package io.shunt.ofproto;

/** A switch clock that tests advance by hand: timeouts fire without sleeping. */
public final class ManualClock implements SwitchClock {
    private volatile long nanos = 1_000_000_000L;

    @Override
    public long nanos() {
        return nanos;
    }

    public void advanceSeconds(double s) {
        nanos += (long) (s * 1e9);
    }

    public void advanceNanos(long n) {
        nanos += n;
    }
}
