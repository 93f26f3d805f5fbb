package io.shunt.datapath.guest.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class UeventTest {
    /** A datagram as lib/kobject_uevent.c builds it: "action@devpath\0KEY=VALUE\0...". */
    private static byte[] datagram(String... parts) {
        return (String.join("\0", parts) + "\0").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesTheKernelsAddEventOfAnIvshmemDevice() {
        byte[] bytes = datagram("add@/devices/pci0000:00/0000:00:05.0", "ACTION=add",
                "DEVPATH=/devices/pci0000:00/0000:00:05.0", "SUBSYSTEM=pci", "PCI_CLASS=50000", "PCI_ID=1AF4:1110",
                "PCI_SUBSYS_ID=1AF4:1100", "PCI_SLOT_NAME=0000:00:05.0", "MODALIAS=pci:v00001AF4d00001110sv", "SEQNUM=1234");
        Uevent event = Uevent.parse(bytes, bytes.length);
        assertEquals("add", event.action());
        assertEquals("/devices/pci0000:00/0000:00:05.0", event.devpath());
        assertEquals("0000:00:05.0", event.pciSlot());
        assertEquals("1234", event.property("SEQNUM"));
        assertTrue(event.isIvshmemPciDevice());
    }

    @Test
    void otherPciDevicesAndOtherSubsystemsAreNotIvshmem() {
        byte[] virtioNet = datagram("add@/devices/pci0000:00/0000:00:03.0", "SUBSYSTEM=pci", "PCI_ID=1AF4:1000",
                "PCI_SLOT_NAME=0000:00:03.0");
        assertFalse(Uevent.parse(virtioNet, virtioNet.length).isIvshmemPciDevice());
        byte[] net = datagram("change@/devices/virtual/net/lo", "SUBSYSTEM=net", "PCI_ID=1AF4:1110");
        assertFalse(Uevent.parse(net, net.length).isIvshmemPciDevice());
    }

    @Test
    void aDatagramWithoutActionAtDevpathIsNoUevent() {
        byte[] udev = datagram("libudev", "garbage");
        assertNull(Uevent.parse(udev, udev.length));
        byte[] empty = new byte[0];
        assertNull(Uevent.parse(empty, 0));
    }

    @Test
    void onlyTheReceivedLengthIsRead() {
        byte[] bytes = datagram("remove@/devices/x", "SUBSYSTEM=pci", "PCI_SLOT_NAME=0000:00:07.0");
        byte[] buffer = new byte[bytes.length + 64];
        System.arraycopy(bytes, 0, buffer, 0, bytes.length);
        buffer[bytes.length] = 'X';
        Uevent event = Uevent.parse(buffer, bytes.length);
        assertEquals("remove", event.action());
        assertEquals(2, event.properties().size());
    }
}
