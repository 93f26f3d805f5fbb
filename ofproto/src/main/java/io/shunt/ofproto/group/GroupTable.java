package io.shunt.ofproto.group;

import io.shunt.ofproto.OfErrorException;
import io.shunt.ofproto.flow.ActionEnv;
import io.shunt.ofproto.flow.ActionValidator;
import io.shunt.ofproto.flow.FlowEntry;
import io.shunt.ofproto.flow.FlowStore;
import io.shunt.ofproto.flow.Txn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import org.projectfloodlight.openflow.protocol.OFGroupModFailedCode;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The group table (OF1.3 sections 5.6 and 6.5): GROUP_MOD add, modify,
 * delete with validation (types, buckets, watch ports, unknown groups,
 * chaining loops). Reads ({@link #group}) are lock-free from any thread;
 * changes run on the control thread inside a {@link Txn}.
 */
public final class GroupTable {
    /** OFPG_MAX: the last number usable for a group. */
    public static final int OFPG_MAX = 0xffffff00;

    private final Map<Integer, Group> groups = new ConcurrentHashMap<>();
    private final int maxGroups;
    private final int maxBuckets;

    public GroupTable(int maxGroups, int maxBuckets) {
        this.maxGroups = maxGroups;
        this.maxBuckets = maxBuckets;
    }

    public Group group(int id) {
        return groups.get(id);
    }

    public boolean exists(int id) {
        return groups.containsKey(id);
    }

    public int size() {
        return groups.size();
    }

    public int maxGroups() {
        return maxGroups;
    }

    public int maxBuckets() {
        return maxBuckets;
    }

    /** Every group in ascending id order (unsigned). */
    public List<Group> all() {
        List<Group> list = new ArrayList<>(groups.values());
        list.sort(Comparator.comparingLong(g -> g.id() & 0xffffffffL));
        return list;
    }

    /** Groups whose buckets forward to {@code id}. */
    public int groupRefCount(int id) {
        int n = 0;
        for (Group g : groups.values()) if (references(g.buckets(), id)) n++;
        return n;
    }

    private static boolean references(List<OFBucket> buckets, int id) {
        for (OFBucket b : buckets) {
            for (OFAction a : b.getActions()) {
                if (a instanceof OFActionGroup g && g.getGroup().getGroupNumber() == id) return true;
            }
        }
        return false;
    }

    public void apply(Txn txn, OFGroupMod gm, ActionEnv env, FlowStore flows, PortLiveness ports, long nowNanos)
            throws OfErrorException {
        int id = gm.getGroup().getGroupNumber();
        switch (gm.getCommand()) {
            case ADD -> {
                checkId(id);
                if (groups.containsKey(id)) {
                    throw OfErrorException.groupModFailed(OFGroupModFailedCode.GROUP_EXISTS, "group " + id + " already exists");
                }
                if (groups.size() >= maxGroups) {
                    throw OfErrorException.groupModFailed(OFGroupModFailedCode.OUT_OF_GROUPS,
                            "the switch holds its maximum of " + maxGroups + " groups");
                }
                validate(id, gm.getGroupType(), gm.getBuckets(), env, ports);
                Group g = new Group(id, gm.getGroupType(), gm.getBuckets(), nowNanos);
                put(txn, id, g);
            }
            case MODIFY -> {
                checkId(id);
                Group old = groups.get(id);
                if (old == null) {
                    throw OfErrorException.groupModFailed(OFGroupModFailedCode.UNKNOWN_GROUP, "group " + id + " does not exist");
                }
                validate(id, gm.getGroupType(), gm.getBuckets(), env, ports);
                put(txn, id, new Group(id, gm.getGroupType(), gm.getBuckets(), old.createdNanos()));
            }
            case DELETE -> {
                if (id == OFGroup.ALL.getGroupNumber()) {
                    for (Group g : all()) delete(txn, g.id(), flows, true);
                } else {
                    delete(txn, id, flows, false);
                }
            }
            default -> throw OfErrorException.groupModFailed(OFGroupModFailedCode.BAD_COMMAND,
                    "group_mod command " + gm.getCommand() + " is not supported");
        }
    }

    private void put(Txn txn, int id, Group g) {
        Group old = groups.put(id, g);
        txn.undoWith(() -> {
            if (old == null) groups.remove(id); else groups.put(id, old);
        });
    }

    private void delete(Txn txn, int id, FlowStore flows, boolean all) throws OfErrorException {
        Group g = groups.get(id);
        if (g == null) return; // deleting an absent group is not an error (section 6.5)
        if (!all && groupRefCount(id) > 0) {
            throw OfErrorException.groupModFailed(OFGroupModFailedCode.CHAINED_GROUP,
                    "group " + id + " is referenced by another group");
        }
        for (FlowEntry e : flows.entriesUsingGroup(id)) flows.remove(txn, e, OFFlowRemovedReason.GROUP_DELETE);
        groups.remove(id);
        txn.undoWith(() -> groups.put(id, g));
    }

    private static void checkId(int id) throws OfErrorException {
        if (Integer.compareUnsigned(id, OFPG_MAX) > 0) {
            throw OfErrorException.groupModFailed(OFGroupModFailedCode.INVALID_GROUP,
                    "group id " + Integer.toUnsignedString(id) + " is reserved (above OFPG_MAX)");
        }
    }

    /** Whether a port is live, for fast-failover watch ports. */
    @FunctionalInterface
    public interface PortLiveness {
        /** null: no such port. */
        Boolean isLive(int port);
    }

    private void validate(int id, OFGroupType type, List<OFBucket> buckets, ActionEnv env, PortLiveness ports)
            throws OfErrorException {
        if (type == null) throw OfErrorException.groupModFailed(OFGroupModFailedCode.BAD_TYPE, "group type missing");
        if (buckets.size() > maxBuckets) {
            throw OfErrorException.groupModFailed(OFGroupModFailedCode.OUT_OF_BUCKETS,
                    "group " + id + " has " + buckets.size() + " buckets, the maximum is " + maxBuckets);
        }
        if (type == OFGroupType.INDIRECT && buckets.size() != 1) {
            throw OfErrorException.groupModFailed(OFGroupModFailedCode.INVALID_GROUP,
                    "indirect group " + id + " needs exactly one bucket, has " + buckets.size());
        }
        for (int i = 0; i < buckets.size(); i++) {
            OFBucket b = buckets.get(i);
            int weight = b.getWeight();
            if (type != OFGroupType.SELECT && weight != 0) {
                throw OfErrorException.groupModFailed(OFGroupModFailedCode.BAD_BUCKET,
                        "bucket " + i + " of " + type + " group " + id + " has weight " + weight + "; only select groups take weights");
            }
            if (type == OFGroupType.FF) {
                int wp = b.getWatchPort().getPortNumber();
                int wg = b.getWatchGroup().getGroupNumber();
                boolean noPort = wp == OFPort.ANY.getPortNumber();
                boolean noGroup = wg == OFGroup.ANY.getGroupNumber();
                if (noPort && noGroup) {
                    throw OfErrorException.groupModFailed(OFGroupModFailedCode.BAD_WATCH,
                            "bucket " + i + " of fast-failover group " + id + " watches neither a port nor a group");
                }
                if (!noPort && ports.isLive(wp) == null) {
                    throw OfErrorException.groupModFailed(OFGroupModFailedCode.BAD_WATCH,
                            "bucket " + i + " of group " + id + " watches port " + Integer.toUnsignedString(wp) + ", which does not exist");
                }
                if (!noGroup && !groups.containsKey(wg)) {
                    throw OfErrorException.groupModFailed(OFGroupModFailedCode.BAD_WATCH,
                            "bucket " + i + " of group " + id + " watches group " + Integer.toUnsignedString(wg) + ", which does not exist");
                }
            }
            for (OFAction a : b.getActions()) {
                if (a instanceof OFActionGroup g && g.getGroup().getGroupNumber() == id) {
                    throw OfErrorException.groupModFailed(OFGroupModFailedCode.LOOP, "group " + id + " forwards to itself");
                }
            }
            ActionValidator.validate(b.getActions(), null, env, ActionValidator.Context.GROUP_BUCKET);
        }
        if (reaches(buckets, id)) {
            throw OfErrorException.groupModFailed(OFGroupModFailedCode.LOOP,
                    "group " + id + " would forward to itself through a chain of groups");
        }
    }

    /** Whether following group actions from these buckets through existing groups leads back to {@code target}. */
    private boolean reaches(List<OFBucket> buckets, int target) {
        Deque<Integer> todo = new ArrayDeque<>();
        Set<Integer> seen = new HashSet<>();
        collect(buckets, todo);
        while (!todo.isEmpty()) {
            int g = todo.pop();
            if (g == target) return true;
            if (!seen.add(g)) continue;
            Group next = groups.get(g);
            if (next != null) collect(next.buckets(), todo);
        }
        return false;
    }

    private static void collect(List<OFBucket> buckets, Deque<Integer> todo) {
        for (OFBucket b : buckets) {
            for (OFAction a : b.getActions()) {
                if (a instanceof OFActionGroup g) todo.push(g.getGroup().getGroupNumber());
            }
        }
    }
}
