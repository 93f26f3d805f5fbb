package io.shunt.p2p;

import io.shunt.p2p.model.PortNumbers;

/**
 * A change of the set of direct paths, delivered to a {@link DirectPathListener} after the
 * flow-table or port change that caused it. The events of one change (or one batch) come
 * in this order: every {@link Down}, then every {@link CarrierChanged}, then every
 * {@link Up}, each group by ascending source port; the detector's state already reflects
 * all of them when the first is delivered.
 */
public sealed interface DirectPathEvent {

    /** Source port A of the path. */
    int from();

    /** Target port B of the path. */
    int to();

    /**
     * A⇒B now holds. {@code paired}: B⇒A holds too (after this change), so A and B form a
     * point-to-point pair.
     */
    record Up(int from, int to, Carrier carrier, boolean paired) implements DirectPathEvent {
        public DirectPath path() {
            return new DirectPath(from, to, carrier);
        }

        @Override
        public String toString() {
            return "up " + PortNumbers.format(from) + "⇒" + PortNumbers.format(to) + (paired ? " (pair) " : " ") + carrier;
        }
    }

    /**
     * A⇒B, carried by {@code lastCarrier}, no longer holds. {@code wasPaired}: B⇒A held
     * before this change.
     */
    record Down(int from, int to, Carrier lastCarrier, EndReason reason, boolean wasPaired) implements DirectPathEvent {
        @Override
        public String toString() {
            return "down " + PortNumbers.format(from) + "⇒" + PortNumbers.format(to) + " " + reason
                    + (wasPaired ? " (was pair)" : "");
        }
    }

    /**
     * A⇒B still holds, but other entries now decide it (e.g. a higher-priority entry with the
     * same effect was added). The link may stay; its statistics belong to {@code after}.
     */
    record CarrierChanged(int from, int to, Carrier before, Carrier after) implements DirectPathEvent {
        @Override
        public String toString() {
            return "carrier " + PortNumbers.format(from) + "⇒" + PortNumbers.format(to) + " " + before + " -> " + after;
        }
    }
}
