package io.shunt.datapath.region;

/**
 * What a region holds (DESIGN.md section 2). The code is stored in the region header, so a
 * guest that finds an anonymous ivshmem BAR can tell a port device from a link device.
 */
public enum RegionKind {
    /** A packet pool: buffers plus their free-buffer ring. */
    POOL(1),
    /** One {@code dpdkr} port: rx and tx rings plus the direct-link control block. */
    PORT(2),
    /** One direct link: the direct ring(s) between two VNFs plus their control words. */
    LINK(3);

    private final int code;

    RegionKind(int code) {
        this.code = code;
    }

    /** The value stored in the header's kind field. */
    public int code() {
        return code;
    }

    /** The kind with this header code, or {@code null} when the code is unknown. */
    public static RegionKind fromCode(int code) {
        for (RegionKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
