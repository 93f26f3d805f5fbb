package io.shunt.ofproto.channel;

import java.util.EnumSet;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFConfigFlags;

/**
 * The OFPC_FRAG_* flags of SET_CONFIG. They describe what the datapath does
 * with IP fragments, so they belong to the switch, not to the connection
 * that set them (Open vSwitch keeps them per bridge too: {@code ovs-ofctl
 * set-frags} followed by {@code get-frags} on a new connection shows the new
 * value). miss_send_len, by contrast, is per connection. Control thread only.
 */
final class FragmentHandling {

    private Set<OFConfigFlags> flags = EnumSet.of(OFConfigFlags.FRAG_NORMAL);

    Set<OFConfigFlags> flags() {
        return EnumSet.copyOf(flags);
    }

    void set(Set<OFConfigFlags> newFlags) {
        flags = newFlags.isEmpty() ? EnumSet.of(OFConfigFlags.FRAG_NORMAL) : EnumSet.copyOf(newFlags);
    }
}
