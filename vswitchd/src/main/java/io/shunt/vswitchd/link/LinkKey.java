package io.shunt.vswitchd.link;

/**
 * Which ports a link joins: {@code a ⇒ b}, or for a point-to-point pair both directions
 * with {@code a} the lower ofport (contract §2: direction 0 is A⇒B, direction 1 is B⇒A).
 */
public record LinkKey(int a, int b, boolean pair) {
    public LinkKey {
        if (a == b) {
            throw new IllegalArgumentException("a link joins two different ports, not " + a + " and " + b);
        }
        if (pair && Integer.compareUnsigned(a, b) > 0) {
            throw new IllegalArgumentException("pair " + a + "-" + b + ": A must be the lower ofport");
        }
    }

    static LinkKey pair(int x, int y) {
        return Integer.compareUnsigned(x, y) < 0 ? new LinkKey(x, y, true) : new LinkKey(y, x, true);
    }

    static LinkKey single(int from, int to) {
        return new LinkKey(from, to, false);
    }

    boolean uses(int port) {
        return a == port || b == port;
    }

    boolean sharesPortWith(LinkKey other) {
        return uses(other.a) || uses(other.b);
    }

    @Override
    public String toString() {
        return a + (pair ? "<=>" : "=>") + b;
    }
}
