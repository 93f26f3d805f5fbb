package io.shunt.vnf;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.shunt.datapath.guest.GuestPort;
import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.ring.BackOff;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Traffic generator: sends Ethernet/IPv4/UDP probe frames ({@link ProbeFrame}) on one port,
 * round-robin over N flows, at a fixed rate (token bucket, in bursts) or as fast as the port
 * takes them, and prints a JSON summary on stdout at the end. Flows differ in the UDP source
 * port (default) or, with {@code --vary dl_dst}, in the destination MAC (so that a switch's
 * {@code in_port,dl_dst} rules see N distinct packets).
 *
 * <p>When the tx ring is full, by default the packets that did not fit are freed and counted
 * ({@code droppedAtTx}, also in the ring's drop counter): their sequence numbers are spent, so
 * the sink sees them as lost. With {@code --no-drop} the source keeps the rest of the burst and
 * retries it (backing off) until the ring takes it: nothing is dropped, the rate is what the
 * receiver sustains (back-pressure).
 */
@Command(name = "source", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Send UDP probe frames (sequence number and timestamp per flow) on a shunt dpdkr port.")
public final class Source implements Callable<Integer> {
    @Option(names = "--port", required = true, paramLabel = "NAME", description = "Port to send on (e.g. dpdkr0).")
    String portName;

    @Mixin
    CommonOptions common;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64", split = ",",
            description = "Frame length(s) in the buffer, without FCS; several sizes are used in turn "
                    + "(default: ${DEFAULT-VALUE}, minimum " + ProbeFrame.MIN_LENGTH + ").")
    int[] sizes;

    @Option(names = "--flows", paramLabel = "N", defaultValue = "1",
            description = "Number of flows; flow f uses UDP source port --src-port + f, or with --vary dl_dst "
                    + "destination MAC --dst-mac + f (default: ${DEFAULT-VALUE}).")
    int flows;

    /** Which header field tells the flows apart. */
    enum Vary {
        udp_src, dl_dst
    }

    @Option(names = "--vary", paramLabel = "FIELD", defaultValue = "udp_src",
            description = "Header field that differs between flows: udp_src (UDP source port, the others stay as "
                    + "given) or dl_dst (destination MAC, the 48-bit --dst-mac plus the flow number; the UDP "
                    + "source port stays --src-port) (default: ${DEFAULT-VALUE}).")
    Vary vary;

    @Option(names = "--rate", paramLabel = "PPS", defaultValue = "0",
            description = "Packets per second, token-bucket paced in bursts; 0 = as fast as possible (default).")
    long rate;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "Stop after N packets (sent or dropped); 0 = no limit.")
    long count;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this time (e.g. 10s).")
    Duration duration;

    @Option(names = "--no-drop", description = "When the tx ring is full, retry instead of dropping (back-pressure).")
    boolean noDrop;

    @Option(names = "--src-mac", defaultValue = "02:00:00:00:00:01", converter = AddressConverters.Mac.class,
            paramLabel = "MAC",
            description = "Source MAC (default: ${DEFAULT-VALUE}).")
    MacAddress srcMac;

    @Option(names = "--dst-mac", defaultValue = "02:00:00:00:00:02", converter = AddressConverters.Mac.class,
            paramLabel = "MAC",
            description = "Destination MAC (default: ${DEFAULT-VALUE}).")
    MacAddress dstMac;

    @Option(names = "--src-ip", defaultValue = "10.0.0.1", converter = AddressConverters.Ipv4.class,
            paramLabel = "IP", description = "Source IPv4 address (default: ${DEFAULT-VALUE}).")
    int srcIp;

    @Option(names = "--dst-ip", defaultValue = "10.0.0.2", converter = AddressConverters.Ipv4.class,
            paramLabel = "IP", description = "Destination IPv4 address (default: ${DEFAULT-VALUE}).")
    int dstIp;

    @Option(names = "--src-port", paramLabel = "PORT", defaultValue = "1024", description = "UDP source port of flow 0 (default: ${DEFAULT-VALUE}).")
    int srcPort;

    @Option(names = "--dst-port", paramLabel = "PORT", defaultValue = "5001", description = "UDP destination port (default: ${DEFAULT-VALUE}).")
    int dstPort;

    /** The JSON summary line. */
    public record Summary(String program, String port, long sent, long droppedAtTx, long poolEmpty, long elapsedNanos,
                          double mpps, int flows, Vary vary, int[] sizes, long rate, boolean noDrop, boolean interrupted) {
    }

    public static void main(String[] args) {
        System.exit(VnfCommandLine.execute(new Source(), args));
    }

    @Override
    public Integer call() throws Exception {
        common.validate();
        int lastSrcPort = vary == Vary.udp_src ? srcPort + flows - 1 : srcPort;
        if (flows < 1 || srcPort < 0 || lastSrcPort > 65535 || dstPort < 0 || dstPort > 65535) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--flows " + flows + " from UDP port "
                    + srcPort + " must stay within 0..65535, and --dst-port too");
        }
        if (vary == Vary.dl_dst && ProbeFrame.macToLong(dstMac.bytes()) + flows - 1 > ProbeFrame.MAC_MAX) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--flows " + flows + " from --dst-mac "
                    + dstMac + " goes past ff:ff:ff:ff:ff:ff");
        }
        if (rate < 0 || count < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--rate and --count must be >= 0");
        }
        byte[][] templates = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            templates[i] = ProbeFrame.template(sizes[i], dstMac.bytes(), srcMac.bytes(), srcIp, dstIp, srcPort, dstPort);
        }
        Termination termination = Termination.install("source");
        try (GuestPort port = GuestPort.attach(common.regionDirectory, portName)) {
            for (int size : sizes) {
                if (size > port.maxFrameLength()) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--size " + size
                            + " exceeds the " + port.maxFrameLength() + " bytes a buffer of pool '" + port.poolName()
                            + "' holds");
                }
            }
            Summary summary = run(port, templates, termination);
            JsonLine.print(System.out, summary);
            return 0;
        } finally {
            termination.finished();
        }
    }

    private Summary run(GuestPort port, byte[][] templates, Termination termination) {
        int burst = common.burst;
        int[] bufs = new int[burst];
        long[] sequences = new long[flows];
        boolean varyDlDst = vary == Vary.dl_dst;
        long dstMacBase = ProbeFrame.macToLong(dstMac.bytes());
        PacketBuffer view = port.newBufferView();
        BackOff backOff = BackOff.standard();
        long start = System.nanoTime();
        long deadline = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        long statsEvery = common.statsIntervalNanos();
        long nextStats = statsEvery == 0 ? Long.MAX_VALUE : start + statsEvery;
        TokenBucket bucket = rate == 0 ? null : new TokenBucket(rate, burst, start);
        long limit = count == 0 ? Long.MAX_VALUE : count;
        long sent = 0;
        long dropped = 0;
        long poolEmpty = 0;
        int flow = 0;
        int sizeIndex = 0;
        boolean interrupted = false;
        long now = start;

        while (sent + dropped < limit) {
            if (termination.requested()) {
                interrupted = true;
                break;
            }
            now = System.nanoTime();
            if (now - deadline >= 0) {
                break;
            }
            if (now - nextStats >= 0) {
                System.err.printf("source %s: sent %d dropped-at-tx %d (%.3f Mpps)%n", portName, sent, dropped,
                        sent * 1e3 / (now - start));
                nextStats += statsEvery;
            }
            int want = (int) Math.min(burst, limit - sent - dropped);
            if (bucket != null) {
                int tokens = bucket.available(now);
                if (tokens == 0) {
                    bucket.awaitToken(now);
                    continue;
                }
                want = Math.min(want, tokens);
            }
            int n = port.allocBurst(bufs, want);
            if (n == 0) {
                poolEmpty++;
                backOff.idle();
                continue;
            }
            if (bucket != null) {
                bucket.spend(n, now);
            }
            // One timestamp per burst: the packets leave together, and nanoTime costs ~20 ns.
            long timestamp = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] template = templates[sizeIndex];
                view.wrapNew(bufs[i]).length(template.length).putBytes(0, template, 0, template.length);
                if (varyDlDst) {
                    ProbeFrame.writeDestinationMac(view, dstMacBase + flow);
                    ProbeFrame.writeProbe(view, srcPort, flow, sequences[flow]++, timestamp);
                } else {
                    ProbeFrame.writeProbe(view, srcPort + flow, flow, sequences[flow]++, timestamp);
                }
                if (++flow == flows) {
                    flow = 0;
                }
                if (++sizeIndex == templates.length) {
                    sizeIndex = 0;
                }
            }
            int taken = port.txBurst(bufs, n);
            if (taken < n && noDrop) {
                taken += retry(port, bufs, taken, n, termination, backOff);
            }
            sent += taken;
            if (taken < n) {
                port.dropTx(bufs, taken, n - taken);
                dropped += n - taken;
            }
            if (taken > 0) {
                backOff.reset();
            }
        }
        long elapsed = System.nanoTime() - start;
        return new Summary("source", portName, sent, dropped, poolEmpty, elapsed, sent * 1e3 / Math.max(1, elapsed),
                flows, vary, sizes, rate, noDrop, interrupted);
    }

    /** Back-pressure: offers {@code bufs[from..n)} until the ring takes them all or a signal stops us. */
    private static int retry(GuestPort port, int[] bufs, int from, int n, Termination termination, BackOff backOff) {
        int taken = 0;
        while (from + taken < n && !termination.requested()) {
            int t = port.txBurst(bufs, from + taken, n - from - taken);
            if (t == 0) {
                backOff.idle();
            } else {
                backOff.reset();
                taken += t;
            }
        }
        return taken;
    }
}
