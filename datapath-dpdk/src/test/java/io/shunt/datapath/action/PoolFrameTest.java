package io.shunt.datapath.action;

import static io.shunt.datapath.testing.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import io.shunt.datapath.buffer.BufferLayout;
import io.shunt.datapath.flow.EtherType;
import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.FlowKeyLayout;
import io.shunt.datapath.flow.IpProto;
import io.shunt.datapath.flow.PacketParser;
import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.region.ShmDirectory;
import org.junit.jupiter.api.Test;

/**
 * The parser and the edits on a packet in a real shared-memory pool buffer, joined the way
 * the PMD loop joins them: the frame's buffer bounds exclude the buffer's metadata, so
 * pushes use the headroom and stop before the metadata.
 */
class PoolFrameTest {
    @Test
    void pushesUseTheHeadroomAndNeverReachTheBufferMetadata() throws Exception {
        byte[] frame = ethernet(MAC_B, MAC_A, EtherType.IPV4, ipv4Packet(ipv4(10, 0, 0, 1), ipv4(10, 0, 0, 2),
                IpProto.UDP, 0, 64, 0, 0, udp(1000, 53, new byte[18])));
        try (ShmDirectory dir = ShmDirectory.create();
             PacketPool pool = PacketPool.create(dir.options(), "pool", 8, 1)) {
            int[] index = new int[1];
            assertEquals(1, pool.allocBurst(index, 0, 1));
            PacketBuffer buf = pool.newBufferView().wrap(index[0]).reset();
            buf.putBytes(0, frame, 0, frame.length).length(frame.length).inputPort(3).flags(5).userData(0x1234_5678_9abcL);
            long base = (long) index[0] * pool.bufferSize();

            FlowKey key = new FlowKey();
            PacketParser.parse(pool.buffers(), base + buf.dataOffset(), buf.length(), buf.inputPort(), key);
            assertEquals(3, key.inPort());
            assertEquals(53, key.tpDst());

            Frame f = new Frame();
            assertTrue(f.wrap(pool.buffers(), base + BufferLayout.METADATA_LENGTH, base + pool.bufferSize(),
                    base + buf.dataOffset(), buf.length()));
            assertEquals(EditStatus.OK, Ipv4Edits.setSource(f, 0x0a0000fe));
            int pushes = 0;
            while (VlanEdits.push(f, EtherType.VLAN_8021Q, pushes) == EditStatus.OK) {
                pushes++;
            }
            assertEquals(pool.headroom() / 4, pushes, "every 4 bytes of headroom take one tag, no more");
            assertEquals(EditStatus.NO_HEADROOM, MplsEdits.push(f, EtherType.MPLS_UNICAST, 0x1ff));
            buf.dataOffset((int) (f.offset() - base)).length(f.length());

            assertTrue(buf.isWellFormed());
            assertEquals(BufferLayout.METADATA_LENGTH, buf.dataOffset());
            assertEquals(3, buf.inputPort(), "metadata intact");
            assertEquals(5, buf.flags(), "metadata intact");
            assertEquals(0x1234_5678_9abcL, buf.userData(), "metadata intact");
            assertEquals(EtherType.VLAN_8021Q, buf.getShort(12));
            PacketParser.parse(pool.buffers(), base + buf.dataOffset(), buf.length(), buf.inputPort(), key);
            assertEquals(FlowKeyLayout.VLAN_PRESENT | (pushes - 1), key.vlanTci(), "the last tag pushed is outermost");
            assertEquals(EtherType.VLAN_8021Q, key.dlType(), "beyond two tags the third is the dl_type");
            pool.release(index[0]);
        }
    }
}
