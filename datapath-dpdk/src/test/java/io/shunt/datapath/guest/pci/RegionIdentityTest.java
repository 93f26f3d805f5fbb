package io.shunt.datapath.guest.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.region.RegionFormatException;
import io.shunt.datapath.region.RegionKind;
import io.shunt.datapath.region.RegionOptions;

class RegionIdentityTest {
    @TempDir
    Path dir;

    @Test
    void readsKindNameGenerationAndSizeOfEachKindOfRegion() throws IOException {
        RegionOptions options = RegionOptions.in(dir);
        try (PacketPool pool = PacketPool.create(options, "shunt-pool-br0", 256, 11);
             PortRegion port = PortRegion.create(options, "shunt-port-p1", 1, 64, pool, 12);
             LinkRegion link = LinkRegion.create(options, "shunt-link-br0-1-2-7", 7, 1, 2, 2, 64, pool)) {
            assertEquals(new RegionIdentity(RegionKind.POOL, "shunt-pool-br0", 11, pool.region().size()),
                    RegionIdentity.read(pool.region().file()));
            assertEquals(new RegionIdentity(RegionKind.PORT, "shunt-port-p1", 12, port.region().size()),
                    RegionIdentity.read(port.region().file()));
            assertEquals(new RegionIdentity(RegionKind.LINK, "shunt-link-br0-1-2-7", link.region().generation(),
                    link.region().size()), RegionIdentity.read(link.region().file()));
        }
    }

    @Test
    void aBarLargerThanTheRegionIsFineTheHeaderSizeCounts() throws IOException {
        try (PacketPool pool = PacketPool.create(RegionOptions.in(dir), "pool", 64, 1);
             PortRegion port = PortRegion.create(RegionOptions.in(dir), "shunt-port-p1", 1, 64, pool, 2)) {
            // start-vm.sh grows a 64 KiB port file to the 1 MiB libvirt needs.
            try (var file = new java.io.RandomAccessFile(port.region().file().toFile(), "rw")) {
                file.setLength(1 << 20);
            }
            assertEquals(port.region().size(), RegionIdentity.read(port.region().file()).size());
        }
    }

    @Test
    void memoryThatIsNoRegionIsRefused() throws IOException {
        Path zeros = dir.resolve("zeros");
        Files.write(zeros, new byte[4096]);
        assertThrows(RegionFormatException.BadMagic.class, () -> RegionIdentity.read(zeros));
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[100]);
        assertThrows(RegionFormatException.Truncated.class, () -> RegionIdentity.read(tiny));
    }
}
