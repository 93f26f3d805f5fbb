package io.shunt.datapath.guest.pci;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One kernel uevent as the kernel multicasts it on {@code NETLINK_KOBJECT_UEVENT}: a header
 * {@code action@devpath} and then {@code KEY=VALUE} strings, all NUL-terminated
 * (lib/kobject_uevent.c). A PCI device's events carry {@code SUBSYSTEM=pci},
 * {@code PCI_ID=1AF4:1110} and {@code PCI_SLOT_NAME=0000:00:05.0}.
 *
 * @param action     {@code add}, {@code remove}, {@code bind}, {@code change}, ...
 * @param devpath    the device's path under /sys
 * @param properties the {@code KEY=VALUE} pairs
 */
public record Uevent(String action, String devpath, Map<String, String> properties) {
    public Uevent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(devpath, "devpath");
        properties = Map.copyOf(properties);
    }

    /**
     * Parses {@code length} bytes of one datagram. Returns {@code null} for a datagram that is
     * not a kernel uevent (no {@code action@devpath} header): udev's own re-broadcasts start
     * with "libudev" and go to another multicast group, but nothing else is trusted either.
     */
    public static Uevent parse(byte[] datagram, int length) {
        int end = indexOfNul(datagram, 0, length);
        String header = new String(datagram, 0, end, StandardCharsets.UTF_8);
        int at = header.indexOf('@');
        if (at <= 0 || at == header.length() - 1) {
            return null;
        }
        Map<String, String> properties = new HashMap<>();
        int start = end + 1;
        while (start < length) {
            int stop = indexOfNul(datagram, start, length);
            String pair = new String(datagram, start, stop - start, StandardCharsets.UTF_8);
            int equals = pair.indexOf('=');
            if (equals > 0) {
                properties.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
            start = stop + 1;
        }
        return new Uevent(header.substring(0, at), header.substring(at + 1), properties);
    }

    private static int indexOfNul(byte[] bytes, int from, int length) {
        for (int i = from; i < length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return length;
    }

    public String property(String key) {
        return properties.get(key);
    }

    /** Whether this event is about an ivshmem PCI device (vendor 1af4, device 1110). */
    public boolean isIvshmemPciDevice() {
        String id = properties.get("PCI_ID");
        return "pci".equals(properties.get("SUBSYSTEM")) && id != null && id.equalsIgnoreCase(String.format("%04X:%04X",
                IvshmemPciDevice.VENDOR_ID, IvshmemPciDevice.DEVICE_ID));
    }

    /** The PCI address ({@code PCI_SLOT_NAME}), or {@code null} if the event has none. */
    public String pciSlot() {
        return properties.get("PCI_SLOT_NAME");
    }
}
