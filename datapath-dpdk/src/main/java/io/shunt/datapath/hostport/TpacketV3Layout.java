package io.shunt.datapath.hostport;

/**
 * The kernel's AF_PACKET TPACKET_V3 ring, byte by byte ({@code linux/if_packet.h}; x86-64
 * and aarch64, native byte order), and the socket options that set it up. The ring is
 * one {@code mmap} of the socket: the receive blocks first, then the transmit frames.
 *
 * <pre>
 * receive block (tp_block_size bytes, owned by the kernel or by us as a whole):
 *   0  u32 version                 8  u32 block_status (TP_STATUS_KERNEL 0 / TP_STATUS_USER 1)
 *   4  u32 offset_to_priv         12  u32 num_pkts
 *  16  u32 offset_to_first_pkt    20  u32 blk_len         24  u64 seq_num
 *  32  ts_first_pkt (8)           40  ts_last_pkt (8)     48  first packet (usually)
 *
 * packet (struct tpacket3_hdr, then struct sockaddr_ll at TPACKET_ALIGN(48) = 48):
 *   0  u32 tp_next_offset (0 on the block's last packet)   4  u32 tp_sec   8  u32 tp_nsec
 *  12  u32 tp_snaplen (bytes in the ring)  16  u32 tp_len (bytes on the wire)
 *  20  u32 tp_status   24  u16 tp_mac (frame start, from the packet header)  26  u16 tp_net
 *  28  u32 tp_rxhash   32  u32 tp_vlan_tci   36  u16 tp_vlan_tpid   38  u16 padding
 *  48  sockaddr_ll: 0 u16 family, 2 be16 protocol, 4 i32 ifindex, 8 u16 hatype,
 *      10 u8 pkttype, 11 u8 halen, 12 u8[8] addr
 *
 * transmit frame (tp_frame_size bytes, fixed slots; TPACKET_V3 TX ring, Linux 4.11+):
 *   a tpacket3_hdr with tp_next_offset 0, tp_len, tp_status (0 available, 1 send request,
 *   2 sending, 4 wrong format); the frame's bytes at 48 (tp_hdrlen - sizeof(sockaddr_ll)).
 * </pre>
 */
final class TpacketV3Layout {
    static final int SOL_PACKET = 263;
    static final int PACKET_ADD_MEMBERSHIP = 1;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PACKET_TX_RING = 13;
    static final int PACKET_LOSS = 14;
    static final int PACKET_QDISC_BYPASS = 20;
    static final int PACKET_IGNORE_OUTGOING = 23;
    static final int TPACKET_V3 = 2;
    static final int PACKET_MR_PROMISC = 1;
    /** ETH_P_ALL in network order as a host-order u16 store on a little-endian CPU (htons(0x0003)). */
    static final short ETH_P_ALL_BE = 0x0300;

    /** struct tpacket_req3: seven u32. */
    static final int REQ3_SIZE = 28;
    static final int REQ3_BLOCK_SIZE = 0;
    static final int REQ3_BLOCK_NR = 4;
    static final int REQ3_FRAME_SIZE = 8;
    static final int REQ3_FRAME_NR = 12;
    static final int REQ3_RETIRE_BLK_TOV = 16;
    static final int REQ3_SIZEOF_PRIV = 20;
    static final int REQ3_FEATURE_REQ_WORD = 24;

    /** struct sockaddr_ll (bind). */
    static final int SOCKADDR_LL_SIZE = 20;
    static final int SLL_FAMILY = 0;
    static final int SLL_PROTOCOL = 2;
    static final int SLL_IFINDEX = 4;
    static final int SLL_PKTTYPE = 10;
    /** sll_pkttype of a frame this host sent (seen on a tap of the interface). */
    static final int PACKET_OUTGOING = 4;

    /** struct packet_mreq (PACKET_ADD_MEMBERSHIP). */
    static final int MREQ_SIZE = 16;
    static final int MREQ_IFINDEX = 0;
    static final int MREQ_TYPE = 4;

    /** struct tpacket_stats_v3: tp_packets, tp_drops, tp_freeze_q_cnt (reading resets them). */
    static final int STATS_V3_SIZE = 12;
    static final int STATS_DROPS = 4;

    // Block descriptor (struct tpacket_block_desc with tpacket_hdr_v1).
    static final int BLOCK_STATUS = 8;
    static final int BLOCK_NUM_PKTS = 12;
    static final int BLOCK_OFFSET_TO_FIRST_PKT = 16;
    static final int BLOCK_DESC_SIZE = 48;

    // Packet header (struct tpacket3_hdr).
    static final int TP_NEXT_OFFSET = 0;
    static final int TP_SNAPLEN = 12;
    static final int TP_LEN = 16;
    static final int TP_STATUS = 20;
    static final int TP_MAC = 24;
    static final int TP_VLAN_TCI = 32;
    static final int TP_VLAN_TPID = 36;
    static final int TPACKET3_HDR_SIZE = 48;
    /** Where sockaddr_ll follows the header: TPACKET_ALIGN(sizeof(struct tpacket3_hdr)). */
    static final int TP_SOCKADDR = 48;
    /** Where a transmitted frame's bytes start (tp_hdrlen 68 - sizeof(sockaddr_ll) 20). */
    static final int TX_DATA = 48;

    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 1;
    static final int TP_STATUS_VLAN_VALID = 0x10;
    static final int TP_STATUS_VLAN_TPID_VALID = 0x40;
    static final int TP_STATUS_AVAILABLE = 0;
    static final int TP_STATUS_SEND_REQUEST = 1;
    static final int TP_STATUS_WRONG_FORMAT = 4;

    private TpacketV3Layout() {
    }
}
