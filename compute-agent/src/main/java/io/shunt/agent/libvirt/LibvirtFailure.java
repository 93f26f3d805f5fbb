package io.shunt.agent.libvirt;

import org.libvirt.Error;
import org.libvirt.LibvirtException;

import io.shunt.agent.driver.DriverException;

/**
 * How a libvirt error becomes an agent error (contract-links §3): the domain is gone or shut
 * off → {@code NOT_FOUND}; libvirtd cannot be reached or the connection broke →
 * {@code UNAVAILABLE}; anything else (QEMU refused the device, permission denied on the
 * backing file, a bad XML) → {@code FAILED}. The message says what was attempted and keeps
 * libvirt's own words.
 */
final class LibvirtFailure {
    private LibvirtFailure() {
    }

    static DriverException of(String attempted, LibvirtException e) {
        Error error = e.getError();
        Error.ErrorNumber code = error == null ? null : error.getCode();
        String detail = error == null || error.getMessage() == null ? String.valueOf(e.getMessage()) : error.getMessage();
        DriverException.Kind kind = kindOf(code, detail);
        String hint = "";
        if (detail.contains("Permission denied") && detail.contains("/dev/shm/")) {
            hint = " (QEMU runs as libvirt-qemu: the region file must be readable and writable by it,"
                    + " e.g. group libvirt-qemu and mode 0660)";
        }
        return new DriverException(kind, attempted + " failed: " + detail + hint, e);
    }

    static DriverException.Kind kindOf(Error.ErrorNumber code, String detail) {
        if (code == null) {
            return DriverException.Kind.FAILED;
        }
        return switch (code) {
            case VIR_ERR_NO_DOMAIN -> DriverException.Kind.NOT_FOUND;
            // "domain is not running": shut off between the owner look-up and the call.
            case VIR_ERR_OPERATION_INVALID -> detail.contains("not running")
                    ? DriverException.Kind.NOT_FOUND : DriverException.Kind.FAILED;
            case VIR_ERR_NO_CONNECT, VIR_ERR_RPC, VIR_ERR_INVALID_CONN -> DriverException.Kind.UNAVAILABLE;
            case VIR_ERR_SYSTEM_ERROR -> detail.contains("Cannot recv data") || detail.contains("Broken pipe")
                    || detail.contains("Failed to connect socket") || detail.contains("Connection reset")
                    ? DriverException.Kind.UNAVAILABLE : DriverException.Kind.FAILED;
            default -> DriverException.Kind.FAILED;
        };
    }
}
