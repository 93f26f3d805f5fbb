package io.shunt.p2p;

import io.shunt.p2p.model.FlowEntry;
import io.shunt.p2p.model.MatchSummary;

/** How an entry's match relates to the packets of the port(s) its {@code in_port} names. */
enum MatchClass {
    /** Matches every packet of those ports: it can decide a direct path. */
    ALL_PACKETS,
    /** May match some packets of those ports and not others: it can only break a path. */
    SOME_PACKETS,
    /** Can match no packet at all: the detector ignores it. */
    NO_PACKET;

    static MatchClass of(FlowEntry entry) {
        MatchSummary m = entry.match();
        if (m.metadataMask() != 0) {
            if (entry.tableId() != 0) {
                // Metadata in later tables depends on write-metadata along the pipeline; we do
                // not track it, so a metadata match there is treated like any other field
                // (conservative: it can only turn a path into a non-path).
                return SOME_PACKETS;
            }
            // shunt's pipeline, like Open vSwitch's, starts every packet with metadata 0: in
            // table 0 a metadata match is either always true or never true.
            if (m.metadataValue() != 0) {
                return NO_PACKET;
            }
        }
        return m.otherFieldsMatched() ? SOME_PACKETS : ALL_PACKETS;
    }
}
