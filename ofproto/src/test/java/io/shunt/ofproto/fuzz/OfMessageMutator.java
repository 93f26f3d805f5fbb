package io.shunt.ofproto.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * Produces hostile variants of valid OpenFlow 1.3 requests: bit flips,
 * truncated bodies with a consistent header, length fields that lie (which
 * may desynchronise the framing), random OXM TLVs inside a flow-mod match,
 * and random body bytes. Deterministic for a seed.
 *
 * <p>Seeds stay in tables 1–3: the well-behaved connection of the fuzz test
 * keeps its flows in table 200, which a few flipped bits cannot reach.
 */
final class OfMessageMutator {

    enum Mutation { BIT_FLIP, TRUNCATE, LENGTH_LIE, RANDOM_OXM, RANDOM_BYTES, NONE }

    /** Offset of ofp_match in an OF1.3 flow_mod (section A.3.4.1). */
    private static final int FLOW_MOD_MATCH_OFFSET = 48;

    private final SplittableRandom random;
    private final List<byte[]> seeds;
    private final List<Boolean> seedIsFlowMod = new ArrayList<>();

    OfMessageMutator(OFFactory f, long seed) {
        this.random = new SplittableRandom(seed);
        this.seeds = new ArrayList<>();
        for (OFMessage m : seedMessages(f)) {
            seeds.add(encode(m));
            seedIsFlowMod.add(m.getType() == OFType.FLOW_MOD);
        }
    }

    /** Whether the header's length still tells the true size, i.e. the peer can still find the next message. */
    static boolean framingIntact(byte[] msg) {
        int length = ((msg[2] & 0xFF) << 8) | (msg[3] & 0xFF);
        return length == msg.length;
    }

    /** The next hostile message; {@code chosen[0]} receives the mutation applied. */
    byte[] next(Mutation[] chosen) {
        int i = random.nextInt(seeds.size());
        byte[] msg = seeds.get(i).clone();
        setXid(msg, random.nextInt() & 0x7FFF_FFFF);
        Mutation mutation = pick(seedIsFlowMod.get(i));
        chosen[0] = mutation;
        return switch (mutation) {
            case BIT_FLIP -> {
                int flips = 1 + random.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int bit = random.nextInt(msg.length * 8);
                    msg[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
                yield msg;
            }
            case TRUNCATE -> {
                int len = 8 + random.nextInt(Math.max(1, msg.length - 8));
                byte[] cut = java.util.Arrays.copyOf(msg, len);
                setLength(cut, len);
                yield cut;
            }
            case LENGTH_LIE -> {
                setLength(msg, random.nextInt(msg.length + 64));
                yield msg;
            }
            case RANDOM_OXM -> randomOxms(msg);
            case RANDOM_BYTES -> {
                for (int k = 8; k < msg.length; k++) {
                    if (random.nextInt(8) == 0) {
                        msg[k] = (byte) random.nextInt(256);
                    }
                }
                yield msg;
            }
            case NONE -> msg;
        };
    }

    private Mutation pick(boolean flowMod) {
        int r = random.nextInt(100);
        if (r < 35) {
            return Mutation.BIT_FLIP;
        } else if (r < 55) {
            return Mutation.TRUNCATE;
        } else if (r < 60) {
            return Mutation.LENGTH_LIE;
        } else if (r < 80) {
            return flowMod ? Mutation.RANDOM_OXM : Mutation.BIT_FLIP;
        } else if (r < 92) {
            return Mutation.RANDOM_BYTES;
        }
        return Mutation.NONE;
    }

    /** Replaces the OXM TLVs of a flow-mod match with random ones filling the same space. */
    private byte[] randomOxms(byte[] msg) {
        int matchLength = ((msg[FLOW_MOD_MATCH_OFFSET + 2] & 0xFF) << 8) | (msg[FLOW_MOD_MATCH_OFFSET + 3] & 0xFF);
        int at = FLOW_MOD_MATCH_OFFSET + 4;
        int end = FLOW_MOD_MATCH_OFFSET + Math.min(matchLength, msg.length - FLOW_MOD_MATCH_OFFSET);
        while (at + 4 <= end) {
            int room = end - at - 4;
            int payload = random.nextInt(4) == 0 ? random.nextInt(256) : Math.min(room, random.nextInt(17));
            // Mostly the OpenFlow basic class (0x8000) with any field, sometimes any class.
            int oxmClass = random.nextInt(4) == 0 ? random.nextInt(0x10000) : 0x8000;
            int fieldAndMask = random.nextInt(256);
            msg[at] = (byte) (oxmClass >>> 8);
            msg[at + 1] = (byte) oxmClass;
            msg[at + 2] = (byte) fieldAndMask;
            msg[at + 3] = (byte) payload;
            for (int k = 0; k < Math.min(payload, room); k++) {
                msg[at + 4 + k] = (byte) random.nextInt(256);
            }
            at += 4 + Math.min(payload, room);
        }
        return msg;
    }

    static byte[] encode(OFMessage m) {
        ByteBuf b = Unpooled.buffer();
        m.writeTo(b);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    private static void setLength(byte[] msg, int length) {
        msg[2] = (byte) (length >>> 8);
        msg[3] = (byte) length;
    }

    private static void setXid(byte[] msg, int xid) {
        msg[4] = (byte) (xid >>> 24);
        msg[5] = (byte) (xid >>> 16);
        msg[6] = (byte) (xid >>> 8);
        msg[7] = (byte) xid;
    }

    private static List<OFMessage> seedMessages(OFFactory f) {
        Match match = f.buildMatch()
                .setExact(MatchField.IN_PORT, OFPort.of(1))
                .setExact(MatchField.ETH_TYPE, EthType.IPv4)
                .setMasked(MatchField.IPV4_DST, IPv4Address.of("10.0.0.0"), IPv4Address.of("255.255.255.0"))
                .setExact(MatchField.IP_PROTO, IpProtocol.TCP)
                .setExact(MatchField.TCP_DST, TransportPort.of(80))
                .build();
        Match l2 = f.buildMatch().setExact(MatchField.ETH_DST, MacAddress.of("00:00:00:00:00:02")).build();
        List<OFAction> out2 = List.of(f.actions().output(OFPort.of(2), 0xFFFF));
        List<OFAction> rewrite = List.of(f.actions().setField(f.oxms().ipv4Src(IPv4Address.of("10.1.1.1"))),
                f.actions().decNwTtl(), f.actions().output(OFPort.of(3), 0));
        var apply = f.instructions().applyActions(out2);
        List<OFMessage> seeds = new ArrayList<>();
        seeds.add(f.buildFlowAdd().setTableId(TableId.of(1)).setPriority(100).setMatch(match)
                .setInstructions(List.of(apply, f.instructions().gotoTable(TableId.of(2)))).build());
        seeds.add(f.buildFlowAdd().setTableId(TableId.of(2)).setPriority(5).setMatch(l2).setCookie(U64.of(7))
                .setIdleTimeout(30).setFlags(Set.of(OFFlowModFlags.SEND_FLOW_REM, OFFlowModFlags.CHECK_OVERLAP))
                .setInstructions(List.of(f.instructions().applyActions(rewrite))).build());
        seeds.add(f.buildFlowModify().setTableId(TableId.of(1)).setMatch(l2)
                .setInstructions(List.of(apply)).build());
        seeds.add(f.buildFlowDelete().setTableId(TableId.of(3)).setMatch(match).setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY).build());
        seeds.add(f.buildFlowDeleteStrict().setTableId(TableId.of(1)).setPriority(100).setMatch(match)
                .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build());
        seeds.add(f.buildGroupAdd().setGroup(OFGroup.of(1)).setGroupType(OFGroupType.ALL)
                .setBuckets(List.of(f.buildBucket().setActions(out2).setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.ANY).build(),
                        f.buildBucket().setActions(rewrite).setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.ANY).build()))
                .build());
        seeds.add(f.buildGroupDelete().setGroup(OFGroup.of(1)).setGroupType(OFGroupType.ALL).build());
        seeds.add(f.buildMeterMod().setCommand(org.projectfloodlight.openflow.protocol.OFMeterModCommand.ADD).setMeterId(1).setFlags(Set.of(OFMeterFlags.KBPS))
                .setMeters(List.of(f.meterBands().drop(1000, 100))).build());
        seeds.add(f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                .setActions(List.of(f.actions().output(OFPort.TABLE, 0))).setData(new byte[64]).build());
        seeds.add(f.buildFlowStatsRequest().setTableId(TableId.of(1)).setMatch(f.buildMatch().build())
                .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build());
        seeds.add(f.buildAggregateStatsRequest().setTableId(TableId.ALL).setMatch(l2)
                .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build());
        seeds.add(f.buildPortStatsRequest().setPortNo(OFPort.ANY).build());
        seeds.add(f.buildPortDescStatsRequest().build());
        seeds.add(f.buildTableStatsRequest().build());
        seeds.add(f.buildGroupDescStatsRequest().build());
        seeds.add(f.buildMeterConfigStatsRequest().setMeterId(0xFFFF_FFFFL).build());
        seeds.add(f.buildDescStatsRequest().build());
        seeds.add(f.buildEchoRequest().setData(new byte[16]).build());
        seeds.add(f.buildBarrierRequest().build());
        seeds.add(f.buildGetConfigRequest().build());
        seeds.add(f.buildAsyncGetRequest().build());
        seeds.add(f.buildFeaturesRequest().build());
        return seeds;
    }
}
