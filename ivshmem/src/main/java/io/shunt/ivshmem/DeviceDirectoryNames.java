package io.shunt.ivshmem;

/**
 * The file names of the process device directory (contract-links.md section 1), spelled out
 * here until datapath-dpdk's {@code io.shunt.datapath.device.DeviceDirectoryLayout} (their one
 * home, shared with the guest shim) is merged; then this class goes.
 */
final class DeviceDirectoryNames {
    /** {@code <vnf-id>/pid}: the VNF's pid and a newline. */
    static final String PID = "pid";
    /** {@code <vnf-id>/ports/<port>}: symlink to the port region file. */
    static final String PORTS = "ports";
    /** {@code <vnf-id>/devices/<dev>}: symlink to a link region file, one per plugged device. */
    static final String DEVICES = "devices";
    /** Default root inside the region directory. */
    static final String DEFAULT_ROOT = "shunt-devices";
    /** vnf-id of a VNF that set none: {@code pid-<pid>}. */
    static final String PID_VNF_PREFIX = "pid-";

    private DeviceDirectoryNames() {
    }
}
