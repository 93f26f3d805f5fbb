package io.shunt.ofproto.datapath;

/**
 * Traffic the datapath forwarded on behalf of a flow entry without running
 * the classifier for each packet (a direct link's ring counts it, DESIGN
 * section 4.4). Added to the entry's statistics; {@code lastUsedNanos}
 * (switch clock, 0 if never) keeps an idle timeout from firing while the
 * link carries traffic.
 */
public record FlowTraffic(long packets, long bytes, long lastUsedNanos) {
    public static final FlowTraffic NONE = new FlowTraffic(0, 0, 0);
}
