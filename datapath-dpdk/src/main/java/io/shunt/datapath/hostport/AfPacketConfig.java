package io.shunt.datapath.hostport;

/**
 * Sizes of an {@code afpacket} port's rings.
 *
 * @param rxBlockSize    bytes per receive block (a power of two, at least 4096); bounds the
 *                       largest frame the ring can hold
 * @param rxBlocks       receive blocks
 * @param retireMillis   the kernel hands a partly filled block over after this many ms
 *                       (tp_retire_blk_tov): the added latency of a lone packet
 * @param txFrameSize    bytes per transmit slot (a power of two; 48 of them are the header)
 * @param txFrames       transmit slots (a multiple of the slots per 64 KiB block)
 * @param promiscuous    PACKET_MR_PROMISC on the interface while the port exists
 * @param qdiscBypass    PACKET_QDISC_BYPASS: transmit straight to the driver, as DPDK does
 */
public record AfPacketConfig(int rxBlockSize, int rxBlocks, int retireMillis, int txFrameSize, int txFrames,
                             boolean promiscuous, boolean qdiscBypass) {
    /** Transmit frames are grouped into blocks of this size for the kernel (tp_block_size). */
    static final int TX_BLOCK_SIZE = 65_536;

    public AfPacketConfig {
        if (Integer.bitCount(rxBlockSize) != 1 || rxBlockSize < 4096 || rxBlocks < 2
                || retireMillis < 1 || Integer.bitCount(txFrameSize) != 1 || txFrameSize < 256
                || txFrameSize > TX_BLOCK_SIZE || txFrames < TX_BLOCK_SIZE / txFrameSize
                || txFrames % (TX_BLOCK_SIZE / txFrameSize) != 0) {
            throw new IllegalArgumentException("afpacket rings: rx " + rxBlocks + " blocks of " + rxBlockSize
                    + " bytes, retire " + retireMillis + " ms, tx " + txFrames + " frames of " + txFrameSize
                    + " bytes (need power-of-two sizes, rx block >= 4096, >= 2 blocks, retire >= 1 ms, tx frames a"
                    + " multiple of " + TX_BLOCK_SIZE + " / frame size)");
        }
    }

    /**
     * 4 MiB of receive blocks of 64 KiB (about 500 small frames each), a 1 ms retire
     * timeout, 512 transmit slots of 2 KiB (a 1500-byte MTU frame with a VLAN tag fits).
     */
    public static AfPacketConfig defaults() {
        return new AfPacketConfig(65_536, 64, 1, 2048, 512, true, true);
    }

    long rxRingBytes() {
        return (long) rxBlockSize * rxBlocks;
    }

    int txBlocks() {
        return txFrames / (TX_BLOCK_SIZE / txFrameSize);
    }

    long txRingBytes() {
        return (long) TX_BLOCK_SIZE * txBlocks();
    }
}
