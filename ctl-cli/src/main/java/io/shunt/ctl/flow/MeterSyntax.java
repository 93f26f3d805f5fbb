package io.shunt.ctl.flow;

import io.shunt.ctl.flow.KeyValueScanner.Item;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMeterConfig;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMeterMod;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBand;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBandDrop;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBandDscpRemark;

/**
 * Meters in ovs-ofctl syntax:
 * {@code meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100}.
 * Flags are {@code kbps}, {@code pktps}, {@code burst}, {@code stats};
 * each {@code band=} (or {@code bands=}) starts a band of type {@code drop}
 * or {@code dscp_remark} (with {@code prec_level}).
 */
public final class MeterSyntax {

    /** OFPM_ALL (OpenFlow 1.3 section 7.3.4.4). */
    public static final long ALL = 0xffffffffL;

    private final OFFactory factory;

    public MeterSyntax(OFFactory factory) {
        this.factory = factory;
    }

    public OFMeterMod parse(String text, boolean add) throws FlowSyntaxException {
        long meterId = -1;
        Set<OFMeterFlags> flags = EnumSet.noneOf(OFMeterFlags.class);
        List<OFMeterBand> bands = new ArrayList<>();
        Band band = null;
        for (Item item : KeyValueScanner.scan(text, 1, "=")) {
            String key = item.key();
            String value = item.value();
            if ((key.equals("band") || key.equals("bands")) && value != null) {
                if (!add) {
                    throw new FlowSyntaxException("del-meters takes no bands", item.keyColumn());
                }
                if (band != null) {
                    bands.add(band.build(factory));
                }
                band = new Band(item.keyColumn());
                int eq = value.indexOf('=');
                if (eq < 0) {
                    throw new FlowSyntaxException("expected band=type=drop|dscp_remark,...", item.valueColumn());
                }
                band.set(value.substring(0, eq), value.substring(eq + 1), item.valueColumn(), item.valueColumn() + eq + 1);
                continue;
            }
            if (band != null && value != null) {
                band.set(key, value, item.keyColumn(), item.valueColumn());
                continue;
            }
            switch (key) {
                case "meter" -> meterId = "all".equals(value) ? ALL : ValueSyntax.unsigned(value, 32, "meter", item.valueColumn());
                case "kbps" -> flags.add(OFMeterFlags.KBPS);
                case "pktps" -> flags.add(OFMeterFlags.PKTPS);
                case "burst" -> flags.add(OFMeterFlags.BURST);
                case "stats" -> flags.add(OFMeterFlags.STATS);
                default -> throw new FlowSyntaxException("unknown meter field '" + key + "'", item.keyColumn());
            }
        }
        if (band != null) {
            bands.add(band.build(factory));
        }
        if (!add) {
            return factory.buildMeterMod().setCommand(OFMeterModCommand.DELETE)
                    .setMeterId(meterId < 0 ? ALL : meterId).setFlags(Set.of()).setMeters(List.of()).build();
        }
        if (meterId < 0) {
            throw new FlowSyntaxException("a meter needs meter=N", 1);
        }
        if (bands.isEmpty()) {
            throw new FlowSyntaxException("a meter needs at least one band=type=drop,rate=N", text.length() + 1);
        }
        if (!flags.contains(OFMeterFlags.PKTPS)) {
            flags.add(OFMeterFlags.KBPS);
        }
        return factory.buildMeterMod().setCommand(OFMeterModCommand.ADD).setMeterId(meterId).setFlags(flags)
                .setMeters(bands).build();
    }

    private static final class Band {
        final int column;
        String type;
        long rate = -1;
        long burstSize;
        short precLevel;

        Band(int column) {
            this.column = column;
        }

        void set(String key, String value, int keyColumn, int valueColumn) throws FlowSyntaxException {
            switch (key) {
                case "type" -> {
                    if (!value.equals("drop") && !value.equals("dscp_remark")) {
                        throw new FlowSyntaxException("unknown band type '" + value + "' (expected drop or dscp_remark)",
                                valueColumn);
                    }
                    type = value;
                }
                case "rate" -> rate = ValueSyntax.unsigned(value, 32, "rate", valueColumn);
                case "burst_size" -> burstSize = ValueSyntax.unsigned(value, 32, "burst_size", valueColumn);
                case "prec_level" -> precLevel = (short) ValueSyntax.unsigned(value, 8, "prec_level", valueColumn);
                default -> throw new FlowSyntaxException("unknown band field '" + key + "'", keyColumn);
            }
        }

        OFMeterBand build(OFFactory factory) throws FlowSyntaxException {
            if (type == null) {
                throw new FlowSyntaxException("band needs type=drop or type=dscp_remark", column);
            }
            if (rate < 0) {
                throw new FlowSyntaxException("band needs rate=N", column);
            }
            if (type.equals("drop")) {
                return factory.meterBands().drop(rate, burstSize);
            }
            return factory.meterBands().buildDscpRemark().setRate(rate).setBurstSize(burstSize).setPrecLevel(precLevel).build();
        }
    }

    /** One dump-meters entry as ovs-ofctl prints it (two lines: flags, then bands). */
    public static String format(OFMeterConfig meter) {
        StringBuilder s = new StringBuilder();
        s.append("meter=").append(meter.getMeterId());
        if (meter.getFlags().contains(OFMeterFlags.KBPS)) {
            s.append(" kbps");
        }
        if (meter.getFlags().contains(OFMeterFlags.PKTPS)) {
            s.append(" pktps");
        }
        if (meter.getFlags().contains(OFMeterFlags.BURST)) {
            s.append(" burst");
        }
        if (meter.getFlags().contains(OFMeterFlags.STATS)) {
            s.append(" stats");
        }
        s.append(" bands=");
        for (OFMeterBand band : meter.getEntries()) {
            s.append('\n');
            switch (band) {
                case OFMeterBandDrop d -> {
                    s.append("type=drop rate=").append(d.getRate());
                    if (d.getBurstSize() != 0) {
                        s.append(" burst_size=").append(d.getBurstSize());
                    }
                }
                case OFMeterBandDscpRemark r -> {
                    s.append("type=dscp_remark rate=").append(r.getRate());
                    if (r.getBurstSize() != 0) {
                        s.append(" burst_size=").append(r.getBurstSize());
                    }
                    s.append(" prec_level=").append(r.getPrecLevel());
                }
                default -> s.append("type=").append(band.getType());
            }
        }
        return s.toString();
    }
}
