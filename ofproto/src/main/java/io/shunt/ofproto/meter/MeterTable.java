package io.shunt.ofproto.meter;

import io.shunt.ofproto.OfErrorException;
import io.shunt.ofproto.flow.FlowEntry;
import io.shunt.ofproto.flow.FlowStore;
import io.shunt.ofproto.flow.Txn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMeterMod;
import org.projectfloodlight.openflow.protocol.OFMeterModFailedCode;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBand;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBandDrop;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBandDscpRemark;

/**
 * The meter table (OF1.3 sections 5.7 and 7.3.4.4): METER_MOD add, modify,
 * delete with validation; drop and dscp-remark bands. Reads are lock-free
 * from any thread; changes run on the control thread inside a {@link Txn}.
 */
public final class MeterTable {
    /** OFPM_MAX: last usable meter id. */
    public static final long OFPM_MAX = 0xffff0000L;
    public static final long OFPM_ALL = 0xffffffffL;

    private final Map<Long, Meter> meters = new ConcurrentHashMap<>();
    private final int maxMeters;
    private final int maxBands;

    public MeterTable(int maxMeters, int maxBands) {
        this.maxMeters = maxMeters;
        this.maxBands = maxBands;
    }

    public Meter meter(long id) {
        return meters.get(id);
    }

    public boolean exists(long id) {
        return meters.containsKey(id);
    }

    public int maxMeters() {
        return maxMeters;
    }

    public int maxBands() {
        return maxBands;
    }

    public List<Meter> all() {
        List<Meter> list = new ArrayList<>(meters.values());
        list.sort(Comparator.comparingLong(Meter::id));
        return list;
    }

    public void apply(Txn txn, OFMeterMod mm, FlowStore flows, long nowNanos) throws OfErrorException {
        long id = mm.getMeterId() & 0xffffffffL;
        List<OFMeterBand> bands = mm.getVersion().compareTo(OFVersion.OF_15) >= 0 ? mm.getBands() : mm.getMeters();
        switch (mm.getCommand()) {
            case ADD -> {
                checkId(id);
                if (meters.containsKey(id)) {
                    throw OfErrorException.meterModFailed(OFMeterModFailedCode.METER_EXISTS, "meter " + id + " already exists");
                }
                if (meters.size() >= maxMeters) {
                    throw OfErrorException.meterModFailed(OFMeterModFailedCode.OUT_OF_METERS,
                            "the switch holds its maximum of " + maxMeters + " meters");
                }
                validate(id, mm.getFlags(), bands);
                put(txn, id, new Meter(id, mm.getFlags(), bands, nowNanos, null));
            }
            case MODIFY -> {
                checkId(id);
                Meter old = meters.get(id);
                if (old == null) {
                    throw OfErrorException.meterModFailed(OFMeterModFailedCode.UNKNOWN_METER, "meter " + id + " does not exist");
                }
                validate(id, mm.getFlags(), bands);
                put(txn, id, new Meter(id, mm.getFlags(), bands, nowNanos, old));
            }
            case DELETE -> {
                if (id == OFPM_ALL) {
                    for (Meter m : all()) delete(txn, m.id(), flows);
                } else {
                    checkId(id);
                    delete(txn, id, flows);
                }
            }
            default -> throw OfErrorException.meterModFailed(OFMeterModFailedCode.BAD_COMMAND,
                    "meter_mod command " + mm.getCommand() + " is not supported");
        }
    }

    private void put(Txn txn, long id, Meter m) {
        Meter old = meters.put(id, m);
        txn.undoWith(() -> {
            if (old == null) meters.remove(id); else meters.put(id, old);
        });
    }

    private void delete(Txn txn, long id, FlowStore flows) {
        Meter m = meters.get(id);
        if (m == null) return;
        // Flows that use a deleted meter are removed (section 6.6); FLOW_REMOVED says DELETE before OF1.4.
        for (FlowEntry e : flows.entriesUsingMeter(id)) flows.remove(txn, e, OFFlowRemovedReason.METER_DELETE);
        meters.remove(id);
        txn.undoWith(() -> meters.put(id, m));
    }

    private static void checkId(long id) throws OfErrorException {
        if (id == 0 || id > OFPM_MAX) {
            throw OfErrorException.meterModFailed(OFMeterModFailedCode.INVALID_METER,
                    "meter id " + id + " is not in 1.." + OFPM_MAX);
        }
    }

    private void validate(long id, Set<OFMeterFlags> flags, List<OFMeterBand> bands) throws OfErrorException {
        if (flags.contains(OFMeterFlags.KBPS) == flags.contains(OFMeterFlags.PKTPS)) {
            throw OfErrorException.meterModFailed(OFMeterModFailedCode.BAD_FLAGS,
                    "meter " + id + " needs exactly one of KBPS and PKTPS, has " + flags);
        }
        if (bands.isEmpty()) {
            throw OfErrorException.meterModFailed(OFMeterModFailedCode.BAD_BAND, "meter " + id + " has no band");
        }
        if (bands.size() > maxBands) {
            throw OfErrorException.meterModFailed(OFMeterModFailedCode.OUT_OF_BANDS,
                    "meter " + id + " has " + bands.size() + " bands, the maximum is " + maxBands);
        }
        for (OFMeterBand b : bands) {
            switch (b) {
                case OFMeterBandDrop d -> checkRate(id, d.getRate());
                case OFMeterBandDscpRemark r -> {
                    checkRate(id, r.getRate());
                    if (r.getPrecLevel() < 1 || r.getPrecLevel() > 63) {
                        throw OfErrorException.meterModFailed(OFMeterModFailedCode.BAD_BAND_VALUE,
                                "meter " + id + " dscp_remark prec_level " + r.getPrecLevel() + " not in 1..63");
                    }
                }
                default -> throw OfErrorException.meterModFailed(OFMeterModFailedCode.BAD_BAND,
                        "meter " + id + " band " + b.getType() + " is not supported (drop, dscp_remark)");
            }
        }
    }

    private static void checkRate(long id, long rate) throws OfErrorException {
        if (rate <= 0) throw OfErrorException.meterModFailed(OFMeterModFailedCode.BAD_RATE, "meter " + id + " band rate is 0");
    }
}
