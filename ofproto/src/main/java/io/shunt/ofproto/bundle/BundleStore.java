package io.shunt.ofproto.bundle;

import io.shunt.ofproto.OfErrorException;
import io.shunt.ofproto.channel.ControllerConnection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFBundleFailedCode;
import org.projectfloodlight.openflow.protocol.OFBundleFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;

/**
 * Bundles by connection and id (OF1.4 section 7.3.9): open, add, close,
 * discard, and taking a bundle out for commit, with the errors of the
 * bundle state machine. Committing is the switch's job (it owns the
 * transaction). Control thread only.
 */
public final class BundleStore {
    private static final Set<OFType> BUNDLEABLE =
            Set.of(OFType.FLOW_MOD, OFType.GROUP_MOD, OFType.METER_MOD, OFType.PORT_MOD, OFType.TABLE_MOD);

    private final Map<ControllerConnection, Map<Integer, Bundle>> byConnection = new IdentityHashMap<>();
    private final int maxMessages;

    public BundleStore(int maxMessages) {
        this.maxMessages = maxMessages;
    }

    private Map<Integer, Bundle> of(ControllerConnection c) {
        return byConnection.computeIfAbsent(c, k -> new HashMap<>());
    }

    public void open(ControllerConnection c, int id, Set<OFBundleFlags> flags) throws OfErrorException {
        Map<Integer, Bundle> m = of(c);
        if (m.containsKey(id)) {
            throw OfErrorException.bundleFailed(OFBundleFailedCode.BUNDLE_EXIST, "bundle " + id + " is already open");
        }
        checkFlags(flags);
        m.put(id, new Bundle(id, flags));
    }

    private static void checkFlags(Set<OFBundleFlags> flags) throws OfErrorException {
        if (flags.contains(OFBundleFlags.TIME)) {
            throw OfErrorException.bundleFailed(OFBundleFailedCode.SCHED_NOT_SUPPORTED, "scheduled bundles are not supported");
        }
    }

    private Bundle existing(ControllerConnection c, int id) throws OfErrorException {
        Bundle b = of(c).get(id);
        if (b == null) throw OfErrorException.bundleFailed(OFBundleFailedCode.BAD_ID, "bundle " + id + " does not exist");
        return b;
    }

    public void close(ControllerConnection c, int id, Set<OFBundleFlags> flags) throws OfErrorException {
        Bundle b = existing(c, id);
        if (b.state() == Bundle.State.CLOSED) {
            throw OfErrorException.bundleFailed(OFBundleFailedCode.BUNDLE_CLOSED, "bundle " + id + " is already closed");
        }
        if (!b.flags().equals(flags)) {
            throw OfErrorException.bundleFailed(OFBundleFailedCode.BAD_FLAGS,
                    "bundle " + id + " was opened with flags " + b.flags() + ", not " + flags);
        }
        b.close();
    }

    public void discard(ControllerConnection c, int id) throws OfErrorException {
        existing(c, id);
        of(c).remove(id);
    }

    /** Removes the bundle for commit (a committed or failed bundle is gone either way). */
    public Bundle takeForCommit(ControllerConnection c, int id, Set<OFBundleFlags> flags) throws OfErrorException {
        Bundle b = existing(c, id);
        of(c).remove(id);
        if (!b.flags().equals(flags)) {
            throw OfErrorException.bundleFailed(OFBundleFailedCode.BAD_FLAGS,
                    "bundle " + id + " was opened with flags " + b.flags() + ", not " + flags);
        }
        return b;
    }

    /** BUNDLE_ADD: an unknown id opens the bundle implicitly (section 7.3.9.3). */
    public void add(ControllerConnection c, int id, Set<OFBundleFlags> flags, long outerXid, OFMessage inner)
            throws OfErrorException {
        Bundle b = of(c).get(id);
        if (b == null) {
            open(c, id, flags);
            b = of(c).get(id);
        }
        if (b.state() == Bundle.State.CLOSED) {
            throw OfErrorException.bundleFailed(OFBundleFailedCode.BUNDLE_CLOSED, "bundle " + id + " is closed");
        }
        if (!b.flags().equals(flags)) {
            throw OfErrorException.bundleFailed(OFBundleFailedCode.BAD_FLAGS,
                    "bundle " + id + " was opened with flags " + b.flags() + ", not " + flags);
        }
        if (inner.getXid() != outerXid) {
            throw OfErrorException.bundleFailed(OFBundleFailedCode.MSG_BAD_XID,
                    "inner message xid " + inner.getXid() + " differs from BUNDLE_ADD xid " + outerXid);
        }
        if (!BUNDLEABLE.contains(inner.getType())) {
            throw OfErrorException.bundleFailed(OFBundleFailedCode.MSG_UNSUP,
                    inner.getType() + " cannot be bundled (flow, group, meter, port and table mods can)");
        }
        if (b.messages().size() >= maxMessages) {
            throw OfErrorException.bundleFailed(OFBundleFailedCode.MSG_TOO_MANY,
                    "bundle " + id + " already holds " + maxMessages + " messages");
        }
        b.messages().add(inner);
    }

    /** Drops every bundle of a closed connection. */
    public void discardAll(ControllerConnection c) {
        byConnection.remove(c);
    }

    public int openBundles(ControllerConnection c) {
        Map<Integer, Bundle> m = byConnection.get(c);
        return m == null ? 0 : m.size();
    }
}
