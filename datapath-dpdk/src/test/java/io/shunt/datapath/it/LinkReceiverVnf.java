package io.shunt.datapath.it;

import java.nio.file.Files;
import java.nio.file.Path;

import io.shunt.datapath.guest.GuestLinkStats;
import io.shunt.datapath.guest.GuestOptions;
import io.shunt.datapath.guest.GuestPort;
import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.ring.BackOff;

/**
 * Child process: a VNF that receives {@link LinkSenderVnf}'s frames on its port through the
 * unchanged {@link GuestPort} API and checks them: in {@code strict} mode sequence numbers must
 * be 0, 1, 2, ... (every packet exactly once, in order); in {@code counted} mode they start at 0
 * and must increase, and the gaps (packets the switch dropped because this receiver's rx ring
 * was full, which the test compares with the switch's drop counter) are summed; in
 * {@code resume} mode (a receiver started after another one died) they start anywhere and must
 * increase. It stops at the end marker, or, when {@code <stop>.quiet} appears (the test says
 * no end marker will come: the sender is dead), after 200 ms with nothing received. Exit status 0 only if every
 * check held. {@code RESULT} reports what it saw, its port's link statistics and the pid.
 *
 * <p>Args: region-dir port device-root vnf-id strict|counted|resume stop-file timeout-seconds.
 */
public final class LinkReceiverVnf {
    private LinkReceiverVnf() {
    }

    public static void main(String[] args) throws Exception {
        Path regionDirectory = Path.of(args[0]);
        String portName = args[1];
        GuestOptions options = GuestOptions.defaults().withDeviceRoot(Path.of(args[2])).withVnfId(args[3]);
        boolean strict = args[4].equals("strict");
        boolean fromZero = !args[4].equals("resume");
        Path quietFile = Path.of(args[5] + ".quiet");
        long deadline = System.nanoTime() + Long.parseLong(args[6]) * 1_000_000_000L;
        try (GuestPort port = GuestPort.attach(regionDirectory, portName, options)) {
            PacketBuffer buffer = port.newBufferView();
            BackOff backOff = BackOff.standard();
            int[] burst = new int[32];
            long received = 0;
            long first = -1;
            long last = -1;
            long gaps = 0;
            boolean end = false;
            long quietSince = System.nanoTime();
            long polls = 0;
            while (!end) {
                int n = port.rxBurst(burst, 0, burst.length);
                backOff.afterRound(n);
                long now = 0;
                if (n == 0 && (++polls & 63) == 0) {
                    now = System.nanoTime();
                    if (now > deadline) {
                        PortTrafficProducer.fail("timed out after " + received + " packets, last sequence " + last);
                    }
                    if (now - quietSince > 200_000_000L && Files.exists(quietFile)) {
                        break;
                    }
                }
                if (n > 0) {
                    quietSince = System.nanoTime();
                }
                for (int i = 0; i < n; i++) {
                    buffer.wrap(burst[i]);
                    if (buffer.length() != LinkSenderVnf.FRAME) {
                        PortTrafficProducer.fail("buffer " + burst[i] + " has length " + buffer.length());
                    }
                    long seq = buffer.getLong(LinkSenderVnf.SEQUENCE_OFFSET);
                    if (first < 0) {
                        first = seq;
                        if (fromZero && seq != 0) {
                            PortTrafficProducer.fail("first sequence " + seq + ", expected 0");
                        }
                    } else if (seq <= last || (strict && seq != last + 1)) {
                        PortTrafficProducer.fail("sequence " + seq + " after " + last + " (received " + received
                                + "): " + (seq <= last ? "duplicate or reordered" : "lost " + (seq - last - 1)));
                    } else {
                        gaps += seq - last - 1;
                    }
                    last = seq;
                    received++;
                    if (buffer.getLong(LinkSenderVnf.END_OFFSET) == 1) {
                        end = true;
                    }
                }
                port.freeBurst(burst, 0, n);
            }
            GuestLinkStats stats = port.linkStats();
            System.out.println("RESULT received=" + received + " first=" + first + " last=" + last + " gaps=" + gaps + " end="
                    + (end ? 1 : 0) + " fencesPassed=" + stats.fencesPassed() + " detaches=" + stats.detaches()
                    + " rejectedWords=" + stats.rejectedWords() + " ignoredDevices=" + stats.ignoredDevices());
        }
    }
}
