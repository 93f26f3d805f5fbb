package io.shunt.vnf;

import io.shunt.datapath.pool.PacketBuffer;

/**
 * The frames the source sends and the sink checks: Ethernet II, IPv4 (20-byte header, valid
 * checksum, DF, TTL 64), UDP (checksum 0, which IPv4 allows), and a probe payload right after
 * the UDP header. Flows differ only in the UDP source port ({@code baseSourcePort + flow}) or,
 * when the source is told so, only in the destination MAC ({@link #writeDestinationMac}).
 *
 * <p>Probe payload, in network byte order, relative to {@link #PAYLOAD_OFFSET}:
 * <pre>
 *  0  8  sequence number within the flow (0, 1, 2, ...)
 *  8  8  send timestamp: System.nanoTime() of the sending process (CLOCK_MONOTONIC on Linux,
 *        so comparable between processes of one host, not between hosts)
 * 16  4  flow number
 * 20  2  magic 0x5348 ("SH"), so the sink can tell probes from foreign frames
 * </pre>
 * The frame length is the length in the buffer, without the 4-byte Ethernet FCS that no
 * shunt port carries: the default 64 leaves the probe 22 bytes, exactly what it needs.
 */
public final class ProbeFrame {
    public static final int ETHERNET_HEADER = 14;
    public static final int IPV4_OFFSET = ETHERNET_HEADER;
    public static final int IPV4_HEADER = 20;
    public static final int UDP_OFFSET = IPV4_OFFSET + IPV4_HEADER;
    public static final int UDP_HEADER = 8;
    public static final int PAYLOAD_OFFSET = UDP_OFFSET + UDP_HEADER;

    public static final int SEQUENCE_OFFSET = PAYLOAD_OFFSET;
    public static final int TIMESTAMP_OFFSET = PAYLOAD_OFFSET + 8;
    public static final int FLOW_OFFSET = PAYLOAD_OFFSET + 16;
    public static final int MAGIC_OFFSET = PAYLOAD_OFFSET + 20;
    public static final int PROBE_LENGTH = 22;
    public static final int MAGIC = 0x5348;

    /** Smallest frame that holds the probe (64, the default, with 0 bytes of padding). */
    public static final int MIN_LENGTH = PAYLOAD_OFFSET + PROBE_LENGTH;
    public static final int UDP_SOURCE_PORT_OFFSET = UDP_OFFSET;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int IPPROTO_UDP = 17;

    private ProbeFrame() {
    }

    /**
     * The bytes every frame starts from: headers for {@code length} bytes, the UDP source port
     * of flow 0, a zero probe with the magic. The source copies it and patches port and probe.
     */
    public static byte[] template(int length, byte[] dstMac, byte[] srcMac, int srcIp, int dstIp, int srcPort,
                                  int dstPort) {
        if (length < MIN_LENGTH) {
            throw new IllegalArgumentException("frame length " + length + " < " + MIN_LENGTH
                    + " (Ethernet + IPv4 + UDP headers + " + PROBE_LENGTH + "-byte probe)");
        }
        byte[] f = new byte[length];
        System.arraycopy(dstMac, 0, f, 0, 6);
        System.arraycopy(srcMac, 0, f, 6, 6);
        putShort(f, 12, ETHERTYPE_IPV4);
        int ipLength = length - ETHERNET_HEADER;
        f[IPV4_OFFSET] = 0x45;                      // version 4, IHL 5
        putShort(f, IPV4_OFFSET + 2, ipLength);     // total length
        putShort(f, IPV4_OFFSET + 6, 0x4000);       // DF, fragment offset 0
        f[IPV4_OFFSET + 8] = 64;                    // TTL
        f[IPV4_OFFSET + 9] = IPPROTO_UDP;
        putInt(f, IPV4_OFFSET + 12, srcIp);
        putInt(f, IPV4_OFFSET + 16, dstIp);
        putShort(f, IPV4_OFFSET + 10, ipv4Checksum(f, IPV4_OFFSET));
        putShort(f, UDP_OFFSET, srcPort);
        putShort(f, UDP_OFFSET + 2, dstPort);
        putShort(f, UDP_OFFSET + 4, ipLength - IPV4_HEADER);
        putShort(f, MAGIC_OFFSET, MAGIC);
        return f;
    }

    /** RFC 791 header checksum (RFC 1071 one's-complement sum) of the 20-byte header at {@code at}. */
    static int ipv4Checksum(byte[] f, int at) {
        int sum = 0;
        for (int i = 0; i < IPV4_HEADER; i += 2) {
            if (i != 10) {
                sum += ((f[at + i] & 0xff) << 8) | (f[at + i + 1] & 0xff);
            }
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    /** The largest 48-bit MAC address as a number. */
    public static final long MAC_MAX = 0xffff_ffff_ffffL;

    /** A MAC address (six bytes, wire order) as a 48-bit number: 02:00:00:00:00:01 is 0x020000000001. */
    public static long macToLong(byte[] mac) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (mac[i] & 0xff);
        }
        return v;
    }

    /** Overwrites the destination MAC (bytes 0..5) of the frame {@code buffer} points at with the 48-bit {@code mac}. */
    public static void writeDestinationMac(PacketBuffer buffer, long mac) {
        buffer.putShort(0, (int) (mac >>> 32));
        buffer.putInt(2, (int) mac);
    }

    /** Writes the probe of flow {@code flow} into the frame {@code buffer} points at. */
    public static void writeProbe(PacketBuffer buffer, int udpSourcePort, int flow, long sequence, long timestamp) {
        buffer.putShort(UDP_SOURCE_PORT_OFFSET, udpSourcePort);
        buffer.putLong(SEQUENCE_OFFSET, sequence);
        buffer.putLong(TIMESTAMP_OFFSET, timestamp);
        buffer.putInt(FLOW_OFFSET, flow);
    }

    /** Whether the frame {@code buffer} points at is long enough and carries the probe magic. */
    public static boolean isProbe(PacketBuffer buffer) {
        return buffer.length() >= MIN_LENGTH && buffer.getShort(MAGIC_OFFSET) == MAGIC;
    }

    private static void putShort(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    private static void putInt(byte[] f, int at, int v) {
        putShort(f, at, v >>> 16);
        putShort(f, at + 2, v);
    }
}
