package io.shunt.ctl.flow;

import io.shunt.ctl.flow.KeyValueScanner.Item;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Groups in ovs-ofctl syntax:
 * {@code group_id=1,type=select,bucket=weight:10,output:1,bucket=weight:20,output:2}.
 * Each {@code bucket=} runs to the next one; in it {@code weight:N},
 * {@code watch_port:N} and {@code watch_group:N} are bucket settings,
 * {@code actions=} is optional, everything else is an action.
 */
public final class GroupSyntax {

    private final OFFactory factory;

    public GroupSyntax(OFFactory factory) {
        this.factory = factory;
    }

    /** {@code add} true for add-group (type and buckets), false for del-groups (group_id only, default all). */
    public OFGroupMod parse(String text, boolean add) throws FlowSyntaxException {
        int firstBucket = bucketStart(text, 0);
        String head = firstBucket < 0 ? text : text.substring(0, firstBucket);
        long groupId = -1;
        OFGroupType type = null;
        for (Item item : KeyValueScanner.scan(head, 1, "=")) {
            switch (item.key()) {
                case "group_id" -> {
                    if ("all".equals(item.value())) {
                        groupId = OFGroup.ALL.getGroupNumber() & 0xffffffffL;
                    } else {
                        groupId = ValueSyntax.unsigned(item.value(), 32, "group_id", item.valueColumn());
                    }
                }
                case "type" -> type = type(item);
                default -> throw new FlowSyntaxException("unknown group field '" + item.key() + "'", item.keyColumn());
            }
        }
        if (!add) {
            if (firstBucket >= 0) {
                throw new FlowSyntaxException("del-groups takes no buckets", firstBucket + 1);
            }
            return factory.buildGroupDelete()
                    .setGroup(groupId < 0 ? OFGroup.ALL : OFGroup.of((int) groupId))
                    .setGroupType(OFGroupType.ALL)
                    .build();
        }
        if (groupId < 0) {
            throw new FlowSyntaxException("a group needs group_id=N", 1);
        }
        if (type == null) {
            throw new FlowSyntaxException("a group needs type=all|select|indirect|ff", 1);
        }
        List<OFBucket> buckets = new ArrayList<>();
        int at = firstBucket;
        while (at >= 0) {
            int valueStart = at + "bucket=".length();
            int next = bucketStart(text, valueStart);
            String bucketText = text.substring(valueStart, next < 0 ? text.length() : next);
            buckets.add(bucket(bucketText, valueStart + 1, type));
            at = next;
        }
        return factory.buildGroupAdd()
                .setGroup(OFGroup.of((int) groupId))
                .setGroupType(type)
                .setBuckets(buckets)
                .build();
    }

    /** Where the next "bucket=" item starts at or after {@code from}, or -1. */
    private static int bucketStart(String text, int from) {
        int i = text.indexOf("bucket=", from);
        while (i > 0 && text.charAt(i - 1) != ',' && !Character.isWhitespace(text.charAt(i - 1))) {
            i = text.indexOf("bucket=", i + 1);
        }
        return i;
    }

    private OFBucket bucket(String text, int base, OFGroupType type) throws FlowSyntaxException {
        String trimmed = text.endsWith(",") ? text.substring(0, text.length() - 1) : text;
        int weight = type == OFGroupType.SELECT ? 1 : 0;
        OFPort watchPort = OFPort.ANY;
        OFGroup watchGroup = OFGroup.ANY;
        StringBuilder actions = new StringBuilder();
        int actionsBase = -1;
        for (Item item : KeyValueScanner.scan(trimmed, base, "=:(")) {
            switch (item.key()) {
                case "weight" -> weight = (int) ValueSyntax.unsigned(item.value(), 16, "weight", item.valueColumn());
                case "watch_port" -> watchPort = ValueSyntax.port(item.value(), "watch_port", item.valueColumn());
                case "watch_group" -> watchGroup = OFGroup.of((int) ValueSyntax.unsigned(item.value(), 32, "watch_group",
                        item.valueColumn()));
                case "actions" -> {
                    // ovs-ofctl's own output writes "actions=" before the bucket's action list: everything after it is actions.
                    int start = item.valueColumn() - base;
                    actions.setLength(0);
                    actions.append(trimmed.substring(start));
                    actionsBase = item.valueColumn();
                }
                default -> {
                    if (actionsBase < 0) {
                        actionsBase = item.keyColumn();
                        actions.append(trimmed.substring(item.keyColumn() - base));
                    }
                }
            }
            if (actionsBase >= 0) {
                break;
            }
        }
        List<OFAction> list = actionsBase < 0 ? List.of()
                : ActionSyntax.parseActionList(factory, actions.toString(), actionsBase, null, "a bucket");
        return factory.buildBucket()
                .setWeight(weight)
                .setWatchPort(watchPort)
                .setWatchGroup(watchGroup)
                .setActions(list)
                .build();
    }

    private static OFGroupType type(Item item) throws FlowSyntaxException {
        return switch (item.value() == null ? "" : item.value().toLowerCase(Locale.ROOT)) {
            case "all" -> OFGroupType.ALL;
            case "select" -> OFGroupType.SELECT;
            case "indirect" -> OFGroupType.INDIRECT;
            case "ff", "fast_failover" -> OFGroupType.FF;
            default -> throw new FlowSyntaxException("unknown group type '" + item.value()
                    + "' (expected all, select, indirect or ff)", item.valueColumn());
        };
    }

    /** One dump-groups line as ovs-ofctl prints it. */
    public static String format(OFGroupDescStatsEntry group) {
        StringBuilder s = new StringBuilder();
        s.append("group_id=").append(Integer.toUnsignedString(group.getGroup().getGroupNumber()));
        s.append(",type=").append(switch (group.getGroupType()) {
            case ALL -> "all";
            case SELECT -> "select";
            case INDIRECT -> "indirect";
            case FF -> "ff";
        });
        for (OFBucket bucket : group.getBuckets()) {
            s.append(",bucket=");
            if (group.getGroupType() == OFGroupType.SELECT) {
                s.append("weight:").append(bucket.getWeight()).append(',');
            }
            if (!bucket.getWatchPort().equals(OFPort.ANY)) {
                s.append("watch_port:").append(PortText.format(bucket.getWatchPort())).append(',');
            }
            if (!bucket.getWatchGroup().equals(OFGroup.ANY)) {
                s.append("watch_group:").append(Integer.toUnsignedString(bucket.getWatchGroup().getGroupNumber())).append(',');
            }
            s.append("actions=").append(ActionFormatter.formatActions(bucket.getActions()));
        }
        return s.toString();
    }
}
