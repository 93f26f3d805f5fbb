package io.shunt.datapath.guest.pci;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The real kernel, through the real netlink socket: writing "change" to a device's sysfs
 * {@code uevent} file makes the kernel multicast a synthetic uevent for it, which is what a
 * PCI hot-plug looks like to the socket.
 */
class UeventSocketTest {
    private static final Path LOOPBACK_UEVENT = Path.of("/sys/class/net/lo/uevent");

    @Test
    void receivesTheUeventTheKernelSendsForAWriteToAUeventFile() throws IOException {
        assumeTrue(Files.isWritable(LOOPBACK_UEVENT), LOOPBACK_UEVENT + " is not writable (needs root and a writable /sys)");
        try (UeventSocket socket = UeventSocket.open(Duration.ofMillis(200))) {
            Files.writeString(LOOPBACK_UEVENT, "change");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            boolean seen = false;
            while (!seen && System.nanoTime() - deadline < 0) {
                Optional<Uevent> event = socket.receive();
                seen = event.isPresent() && event.get().action().equals("change")
                        && event.get().devpath().endsWith("/net/lo") && "net".equals(event.get().property("SUBSYSTEM"));
            }
            assertTrue(seen, "no 'change' uevent for lo within 10 s");
        }
    }

    @Test
    void receiveReturnsEmptyAfterItsTimeoutWhenNothingHappens() throws IOException {
        try (UeventSocket socket = UeventSocket.open(Duration.ofMillis(50))) {
            // Other devices may send events meanwhile; a bounded number of receives must time out once.
            boolean timedOut = false;
            for (int i = 0; i < 100 && !timedOut; i++) {
                timedOut = socket.receive().isEmpty();
            }
            assertTrue(timedOut);
        }
    }
}
