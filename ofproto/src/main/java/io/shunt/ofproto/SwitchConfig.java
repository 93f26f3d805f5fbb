package io.shunt.ofproto;

import java.util.Objects;

/**
 * Static configuration of one OpenFlow switch (bridge).
 *
 * @param datapathId         64-bit datapath id (FEATURES_REPLY)
 * @param tableCount         number of flow tables, 1..254 (254 as OVS)
 * @param maxEntriesPerTable entries per table before OFPFMFC_TABLE_FULL
 * @param bufferCount        packet-in buffers (n_buffers); 0 sends whole packets, unbuffered
 * @param mfrDesc            DESC reply: manufacturer
 * @param hwDesc             DESC reply: hardware
 * @param swDesc             DESC reply: software
 * @param serialNum          DESC reply: serial number
 * @param dpDesc             DESC reply: datapath description (e.g. the bridge name)
 * @param failMode           behaviour without controller
 * @param maxGroups          group table capacity
 * @param maxBuckets         buckets per group
 * @param maxMeters          meter table capacity
 * @param maxBands           bands per meter
 * @param packetInRate       sustained PACKET_IN rate per switch, packets/s (token bucket)
 * @param packetInBurst      PACKET_IN burst (bucket depth)
 * @param maxBundleMessages  messages per bundle before OFPBFC_MSG_TOO_MANY
 * @param timerPeriodMillis  period of the timeout sweep on the control thread
 * @param clock              time source (tests inject their own)
 */
public record SwitchConfig(long datapathId, int tableCount, int maxEntriesPerTable, int bufferCount, String mfrDesc,
                           String hwDesc, String swDesc, String serialNum, String dpDesc, FailMode failMode,
                           int maxGroups, int maxBuckets, int maxMeters, int maxBands, int packetInRate,
                           int packetInBurst, int maxBundleMessages, int timerPeriodMillis, SwitchClock clock) {

    public SwitchConfig {
        if (tableCount < 1 || tableCount > 254) throw new IllegalArgumentException("tableCount " + tableCount + " not in 1..254");
        if (maxEntriesPerTable < 1) throw new IllegalArgumentException("maxEntriesPerTable must be positive");
        if (bufferCount < 0 || bufferCount > 65536) throw new IllegalArgumentException("bufferCount " + bufferCount + " not in 0..65536");
        if (packetInRate < 1 || packetInBurst < 1) throw new IllegalArgumentException("packet-in rate and burst must be positive");
        Objects.requireNonNull(failMode, "failMode");
        Objects.requireNonNull(clock, "clock");
    }

    /** Defaults in the spirit of OVS: 254 tables, 256 buffers, secure fail mode, 1000 packet-ins/s. */
    public static SwitchConfig defaults(long datapathId) {
        return new SwitchConfig(datapathId, 254, 1 << 20, 256, "shunt", "shunt virtual switch", "shunt 0.1.0",
                "None", "None", FailMode.SECURE, 65536, 64, 65536, 8, 1000, 1000, 65536, 100, SwitchClock.system());
    }

    public SwitchConfig withTableCount(int n) {
        return new SwitchConfig(datapathId, n, maxEntriesPerTable, bufferCount, mfrDesc, hwDesc, swDesc, serialNum, dpDesc,
                failMode, maxGroups, maxBuckets, maxMeters, maxBands, packetInRate, packetInBurst, maxBundleMessages,
                timerPeriodMillis, clock);
    }

    public SwitchConfig withMaxEntriesPerTable(int n) {
        return new SwitchConfig(datapathId, tableCount, n, bufferCount, mfrDesc, hwDesc, swDesc, serialNum, dpDesc,
                failMode, maxGroups, maxBuckets, maxMeters, maxBands, packetInRate, packetInBurst, maxBundleMessages,
                timerPeriodMillis, clock);
    }

    public SwitchConfig withBufferCount(int n) {
        return new SwitchConfig(datapathId, tableCount, maxEntriesPerTable, n, mfrDesc, hwDesc, swDesc, serialNum, dpDesc,
                failMode, maxGroups, maxBuckets, maxMeters, maxBands, packetInRate, packetInBurst, maxBundleMessages,
                timerPeriodMillis, clock);
    }

    public SwitchConfig withDpDesc(String desc) {
        return new SwitchConfig(datapathId, tableCount, maxEntriesPerTable, bufferCount, mfrDesc, hwDesc, swDesc, serialNum, desc,
                failMode, maxGroups, maxBuckets, maxMeters, maxBands, packetInRate, packetInBurst, maxBundleMessages,
                timerPeriodMillis, clock);
    }

    public SwitchConfig withFailMode(FailMode mode) {
        return new SwitchConfig(datapathId, tableCount, maxEntriesPerTable, bufferCount, mfrDesc, hwDesc, swDesc, serialNum, dpDesc,
                mode, maxGroups, maxBuckets, maxMeters, maxBands, packetInRate, packetInBurst, maxBundleMessages,
                timerPeriodMillis, clock);
    }

    public SwitchConfig withPacketInLimit(int rate, int burst) {
        return new SwitchConfig(datapathId, tableCount, maxEntriesPerTable, bufferCount, mfrDesc, hwDesc, swDesc, serialNum, dpDesc,
                failMode, maxGroups, maxBuckets, maxMeters, maxBands, rate, burst, maxBundleMessages,
                timerPeriodMillis, clock);
    }

    public SwitchConfig withClock(SwitchClock c) {
        return new SwitchConfig(datapathId, tableCount, maxEntriesPerTable, bufferCount, mfrDesc, hwDesc, swDesc, serialNum, dpDesc,
                failMode, maxGroups, maxBuckets, maxMeters, maxBands, packetInRate, packetInBurst, maxBundleMessages,
                timerPeriodMillis, c);
    }

    public SwitchConfig withLimits(int groups, int buckets, int meters, int bands, int bundleMessages) {
        return new SwitchConfig(datapathId, tableCount, maxEntriesPerTable, bufferCount, mfrDesc, hwDesc, swDesc, serialNum, dpDesc,
                failMode, groups, buckets, meters, bands, packetInRate, packetInBurst, bundleMessages,
                timerPeriodMillis, clock);
    }
}
