package io.shunt.p2p;

import io.shunt.p2p.model.PortNumbers;

/**
 * A direct path {@code from ⇒ to} (DESIGN section 4.1): every packet that enters on port
 * {@code from} leaves, unmodified and only, on port {@code to}, as decided by {@code carrier}.
 */
public record DirectPath(int from, int to, Carrier carrier) {

    @Override
    public String toString() {
        return PortNumbers.format(from) + "⇒" + PortNumbers.format(to) + " " + carrier;
    }
}
