package io.shunt.p2p.model;

/**
 * The part of an OpenFlow match that decides whether an entry matches every packet, some
 * packets or no packet from a port.
 *
 * <p>A field whose mask is all zeros is not matched (OpenFlow 1.3 section 7.2.3.5 says such
 * a field must be omitted; the adapter drops it if a peer sent it anyway).
 *
 * @param inPortMatched      whether {@code in_port} is matched (it is never masked)
 * @param inPort             the matched {@code in_port}; meaningless when not matched
 * @param otherFieldsMatched whether any field other than {@code in_port} and
 *                           {@code metadata} is matched, with any mask: such an entry matches
 *                           only some of a port's packets
 * @param metadataValue      the matched {@code metadata} value (bits outside the mask are
 *                           ignored)
 * @param metadataMask       the {@code metadata} mask; 0 when metadata is not matched
 */
public record MatchSummary(boolean inPortMatched, int inPort, boolean otherFieldsMatched,
                           long metadataValue, long metadataMask) {

    private static final MatchSummary ALL = new MatchSummary(false, 0, false, 0, 0);

    public MatchSummary {
        if (!inPortMatched) {
            inPort = 0;
        }
        metadataValue &= metadataMask;
    }

    /** The fully wildcarded match (e.g. a table-miss entry). */
    public static MatchSummary all() {
        return ALL;
    }

    /** {@code in_port=port}, everything else wildcarded. */
    public static MatchSummary inPort(int port) {
        return new MatchSummary(true, port, false, 0, 0);
    }

    /** {@code in_port=port} (when {@code port} is non-null) plus some other field. */
    public static MatchSummary inPortAndOtherFields(Integer port) {
        return new MatchSummary(port != null, port == null ? 0 : port, true, 0, 0);
    }

    /** A copy of this match that also matches {@code metadata=value/mask}. */
    public MatchSummary withMetadata(long value, long mask) {
        return new MatchSummary(inPortMatched, inPort, otherFieldsMatched, value, mask);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (inPortMatched) {
            s.append("in_port=").append(PortNumbers.format(inPort));
        }
        if (metadataMask != 0) {
            s.append(s.isEmpty() ? "" : ",").append("metadata=0x").append(Long.toHexString(metadataValue))
                    .append("/0x").append(Long.toHexString(metadataMask));
        }
        if (otherFieldsMatched) {
            s.append(s.isEmpty() ? "" : ",").append("<other fields>");
        }
        return s.isEmpty() ? "<all>" : s.toString();
    }
}
