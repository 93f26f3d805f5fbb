package io.shunt.datapath.it;

import java.nio.file.Files;
import java.nio.file.Path;

import io.shunt.datapath.guest.GuestLinkStats;
import io.shunt.datapath.guest.GuestOptions;
import io.shunt.datapath.guest.GuestPort;
import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.ring.BackOff;

/**
 * Child process: a VNF that sends numbered 64-byte frames on its port at full rate through
 * the unchanged {@link GuestPort} API, never dropping (a partial burst is retried), until the
 * stop file appears; then it creates {@code <stop>.paused}, waits for {@code <stop>.go} (the
 * test gives it once the rings are drained, so the end marker cannot meet a full ring in the
 * switch), sends an end marker and prints what it sent. Whether a burst goes to the switch or
 * onto a direct link is the shim's business.
 *
 * <p>Frame: destination and source MAC, EtherType 0x88b5, the sequence number at byte 14, the
 * end flag at byte 22.
 *
 * <p>Args: region-dir port device-root vnf-id stop-file timeout-seconds.
 */
public final class LinkSenderVnf {
    static final int FRAME = 64;
    static final int SEQUENCE_OFFSET = 14;
    static final int END_OFFSET = 22;
    private static final int BURST = 32;

    private LinkSenderVnf() {
    }

    public static void main(String[] args) throws Exception {
        Path regionDirectory = Path.of(args[0]);
        String portName = args[1];
        GuestOptions options = GuestOptions.defaults().withDeviceRoot(Path.of(args[2])).withVnfId(args[3]);
        Path stopFile = Path.of(args[4]);
        long deadline = System.nanoTime() + Long.parseLong(args[5]) * 1_000_000_000L;
        try (GuestPort port = GuestPort.attach(regionDirectory, portName, options)) {
            PacketBuffer buffer = port.newBufferView();
            BackOff backOff = BackOff.standard();
            int[] burst = new int[BURST];
            long seq = 0;
            long bursts = 0;
            while ((++bursts & 255) != 0 || !Files.exists(stopFile)) {
                if (System.nanoTime() > deadline) {
                    PortTrafficProducer.fail("timed out at sequence " + seq);
                }
                int got = port.allocBurst(burst, 0, BURST);
                if (got == 0) {
                    backOff.idle();
                    continue;
                }
                for (int i = 0; i < got; i++) {
                    frame(buffer.wrapNew(burst[i]), seq + i, false);
                }
                send(port, burst, got, backOff, deadline);
                seq += got;
            }
            Files.writeString(Path.of(stopFile + ".paused"), "paused\n");
            Path go = Path.of(stopFile + ".go");
            while (!Files.exists(go)) {
                if (System.nanoTime() > deadline) {
                    PortTrafficProducer.fail("timed out waiting for " + go);
                }
                Thread.sleep(1);
            }
            int got;
            while ((got = port.allocBurst(burst, 0, 1)) == 0) {
                backOff.idle();
            }
            frame(buffer.wrapNew(burst[0]), seq, true);
            send(port, burst, got, backOff, deadline);
            GuestLinkStats stats = port.linkStats();
            System.out.println("RESULT sent=" + (seq + 1) + " switches=" + stats.switches() + " reverts="
                    + stats.reverts() + " rejectedWords=" + stats.rejectedWords() + " ignoredDevices="
                    + stats.ignoredDevices());
        }
    }

    private static void frame(PacketBuffer b, long seq, boolean end) {
        b.putShort(0, 0x0200).putInt(2, 2).putShort(6, 0x0200).putInt(8, 1).putShort(12, 0x88b5)
                .putLong(SEQUENCE_OFFSET, seq).putLong(END_OFFSET, end ? 1 : 0).putLong(30, 0).putLong(38, 0)
                .putLong(46, 0).putLong(54, 0).putShort(62, 0);
        b.length(FRAME);
    }

    private static void send(GuestPort port, int[] burst, int n, BackOff backOff, long deadline) {
        int sent = 0;
        while (sent < n) {
            int k = port.txBurst(burst, sent, n - sent);
            sent += k;
            backOff.afterRound(k);
            if (k == 0 && System.nanoTime() > deadline) {
                PortTrafficProducer.fail("timed out: nothing takes packets");
            }
        }
    }
}
