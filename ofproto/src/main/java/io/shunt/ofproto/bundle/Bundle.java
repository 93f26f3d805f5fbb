package io.shunt.ofproto.bundle;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFBundleFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;

/** One open bundle of one connection (OF1.4 section 6.8): its flags, state and queued messages. */
public final class Bundle {
    public enum State { OPEN, CLOSED }

    private final int id;
    private final Set<OFBundleFlags> flags;
    private State state = State.OPEN;
    private final List<OFMessage> messages = new ArrayList<>();

    Bundle(int id, Set<OFBundleFlags> flags) {
        this.id = id;
        this.flags = Set.copyOf(flags);
    }

    public int id() { return id; }
    public Set<OFBundleFlags> flags() { return flags; }
    public State state() { return state; }
    public List<OFMessage> messages() { return messages; }

    void close() {
        state = State.CLOSED;
    }
}
