package io.shunt.vswitchd.bridge;

import io.shunt.datapath.flow.FlowField;
import io.shunt.datapath.flow.FlowMask;
import io.shunt.ofproto.classifier.KeyField;
import io.shunt.ofproto.flow.PipelineResult;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the key bits the OpenFlow pipeline examined (ofproto's {@link KeyField}s) into a
 * megaflow mask over the datapath's key ({@link FlowField}s), field by field.
 *
 * <p>The rule is "never narrower": a field the pipeline looked at, even one bit of it,
 * makes every datapath field that carries it exact. A mask wider than needed only costs
 * megaflows; a narrower one would hand one packet's actions to another. A field the
 * datapath key does not carry (IPv6 extension-header flags, tunnel id) makes the whole
 * mask exact. The parser status and the ethertype are always in the mask, so a truncated
 * or differently-parsed packet never shares a megaflow with a well-formed one.
 */
final class MegaflowMasks {
    private static final Map<KeyField, List<FlowField>> FIELDS = new EnumMap<>(KeyField.class);

    static {
        FIELDS.put(KeyField.IN_PORT, List.of(FlowField.IN_PORT));
        FIELDS.put(KeyField.IN_PHY_PORT, List.of(FlowField.IN_PORT));
        // Metadata starts at 0 for every packet and is only changed by the pipeline itself.
        FIELDS.put(KeyField.METADATA, List.of());
        FIELDS.put(KeyField.ETH_DST, List.of(FlowField.DL_DST));
        FIELDS.put(KeyField.ETH_SRC, List.of(FlowField.DL_SRC));
        FIELDS.put(KeyField.ETH_TYPE, List.of(FlowField.DL_TYPE));
        FIELDS.put(KeyField.VLAN_VID, List.of(FlowField.VLAN_TCI, FlowField.VLAN_TPID));
        FIELDS.put(KeyField.VLAN_PCP, List.of(FlowField.VLAN_TCI, FlowField.VLAN_TPID));
        FIELDS.put(KeyField.NW_SRC, List.of(FlowField.NW_SRC));
        FIELDS.put(KeyField.NW_DST, List.of(FlowField.NW_DST));
        FIELDS.put(KeyField.IP_PROTO, List.of(FlowField.NW_PROTO));
        FIELDS.put(KeyField.IP_DSCP, List.of(FlowField.NW_TOS_BYTE));
        FIELDS.put(KeyField.IP_ECN, List.of(FlowField.NW_TOS_BYTE));
        FIELDS.put(KeyField.TP_SRC, List.of(FlowField.TP_SRC, FlowField.NW_FRAG));
        FIELDS.put(KeyField.TP_DST, List.of(FlowField.TP_DST, FlowField.NW_FRAG));
        FIELDS.put(KeyField.ARP_OP, List.of(FlowField.NW_PROTO));
        FIELDS.put(KeyField.IPV6_SRC_HI, List.of(FlowField.IPV6_SRC_HI));
        FIELDS.put(KeyField.IPV6_SRC_LO, List.of(FlowField.IPV6_SRC_LO));
        FIELDS.put(KeyField.IPV6_DST_HI, List.of(FlowField.IPV6_DST_HI));
        FIELDS.put(KeyField.IPV6_DST_LO, List.of(FlowField.IPV6_DST_LO));
        FIELDS.put(KeyField.ND_TARGET_HI, List.of(FlowField.ND_TARGET_HI, FlowField.TP_SRC));
        FIELDS.put(KeyField.ND_TARGET_LO, List.of(FlowField.ND_TARGET_LO, FlowField.TP_SRC));
        FIELDS.put(KeyField.ARP_SHA, List.of(FlowField.ARP_SHA));
        FIELDS.put(KeyField.ARP_THA, List.of(FlowField.ARP_THA));
        FIELDS.put(KeyField.MPLS_TC, List.of(FlowField.MPLS_LSE));
        FIELDS.put(KeyField.MPLS_BOS, List.of(FlowField.MPLS_LSE));
        FIELDS.put(KeyField.MPLS_LABEL, List.of(FlowField.MPLS_LSE));
        FIELDS.put(KeyField.IPV6_FLABEL, List.of(FlowField.IPV6_LABEL));
        FIELDS.put(KeyField.IPV6_EXTHDR, null);
        FIELDS.put(KeyField.TUNNEL_ID, null);
    }

    private MegaflowMasks() {
    }

    /** The datapath mask for the bits {@code result} examined. */
    static FlowMask of(PipelineResult result) {
        FlowMask.Builder b = FlowMask.builder().exact(FlowField.PARSE_STATUS, FlowField.DL_TYPE);
        for (KeyField f : KeyField.values()) {
            if ((result.wildcardWord(f.word) & f.wordMask) == 0) {
                continue;
            }
            List<FlowField> carried = FIELDS.get(f);
            if (carried == null) {
                return FlowMask.EXACT;
            }
            for (FlowField d : carried) {
                b.exact(d);
            }
        }
        return b.build();
    }
}
