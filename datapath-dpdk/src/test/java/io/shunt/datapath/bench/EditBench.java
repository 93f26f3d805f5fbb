package io.shunt.datapath.bench;

import static io.shunt.datapath.testing.Frames.*;

import io.shunt.datapath.action.Frame;
import io.shunt.datapath.action.Ipv4Edits;
import io.shunt.datapath.action.TransportEdits;
import io.shunt.datapath.action.VlanEdits;
import io.shunt.datapath.flow.EtherType;
import io.shunt.datapath.flow.IpProto;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-packet cost of the packet edits on 64-byte frames in bursts of 32: each edit
 * re-finds its header in the frame and keeps the checksums right. The values written
 * change every packet, so no edit is a no-op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class EditBench {
    static final int BURST = 32;
    static final int FRAME = 64;
    static final long SLOT = 2048;
    static final long HEADROOM = 128;

    private Arena arena;
    private MemorySegment tcpFrames;
    private MemorySegment sctpFrames;
    private final Frame view = new Frame();
    private int value;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        tcpFrames = fill(ethernet(MAC_B, MAC_A, EtherType.IPV4, ipv4Packet(ipv4(10, 0, 0, 1), ipv4(10, 0, 0, 2),
                IpProto.TCP, 0, 64, 0, 0, tcp(1000, 80, 0x10, 0, new byte[10]))));
        sctpFrames = fill(ethernet(MAC_B, MAC_A, EtherType.IPV4, ipv4Packet(ipv4(10, 0, 0, 1), ipv4(10, 0, 0, 2),
                IpProto.SCTP, 0, 64, 0, 0, sctp(2905, 2906, new byte[18]))));
    }

    private MemorySegment fill(byte[] frame) {
        if (frame.length != FRAME) {
            throw new IllegalStateException("benchmark frame is " + frame.length + " bytes, wanted " + FRAME);
        }
        MemorySegment s = arena.allocate(BURST * SLOT, 64);
        for (int i = 0; i < BURST; i++) {
            MemorySegment.copy(MemorySegment.ofArray(frame), 0, s, i * SLOT + HEADROOM, FRAME);
        }
        return s;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    private Frame frame(MemorySegment s, int i) {
        view.wrap(s, i * SLOT, (i + 1) * SLOT, i * SLOT + HEADROOM, FRAME);
        return view;
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int setIpv4SourceWithTcpChecksum() {
        int status = 0;
        for (int i = 0; i < BURST; i++) {
            status |= Ipv4Edits.setSource(frame(tcpFrames, i), ++value);
        }
        return status;
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int setTcpDestinationPort() {
        int status = 0;
        for (int i = 0; i < BURST; i++) {
            status |= TransportEdits.setDestinationPort(frame(tcpFrames, i), ++value);
        }
        return status;
    }

    /** Port edit with a CRC-32C recomputation over the 30-byte SCTP packet (12-byte header, 18-byte chunk). */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int setSctpDestinationPort() {
        int status = 0;
        for (int i = 0; i < BURST; i++) {
            status |= TransportEdits.setDestinationPort(frame(sctpFrames, i), ++value);
        }
        return status;
    }

    /** set_ttl then dec_ttl (two header checksum updates), so the TTL never runs out. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int setAndDecrementTtl() {
        int status = 0;
        for (int i = 0; i < BURST; i++) {
            Frame f = frame(tcpFrames, i);
            status |= Ipv4Edits.setTtl(f, 64) | Ipv4Edits.decrementTtl(f);
        }
        return status;
    }

    /** push_vlan then pop_vlan: two 12-byte moves in the headroom. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int pushAndPopVlan() {
        int status = 0;
        for (int i = 0; i < BURST; i++) {
            Frame f = frame(tcpFrames, i);
            status |= VlanEdits.push(f, EtherType.VLAN_8021Q, ++value & 0xfff) | VlanEdits.pop(f);
        }
        return status;
    }
}
