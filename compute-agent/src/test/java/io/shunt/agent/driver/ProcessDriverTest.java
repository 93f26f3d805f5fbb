package io.shunt.agent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.ivshmem.LinkRegions;
import io.shunt.ivshmem.ProcessDeviceDirectory;
import io.shunt.ivshmem.ShellVnf;
import io.shunt.ivshmem.TestRegions;

class ProcessDriverTest {
    record Event(PluggedDevice device, String reason) {
    }

    @TempDir
    Path regionDir;
    PacketPool pool;
    ProcessDriver driver;
    final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        pool = TestRegions.pool(regionDir, "shunt-pool-br0");
        Path root = Files.createDirectories(ProcessDeviceDirectory.defaultRoot(regionDir));
        driver = new ProcessDriver(new ProcessDeviceDirectory(root), Duration.ofMillis(50));
        driver.watch((device, reason) -> events.add(new Event(device, reason)));
    }

    @AfterEach
    void stop() {
        driver.close();
        pool.close();
    }

    private Path link(int a, int b) throws Exception {
        try (LinkRegion link = new LinkRegions(RegionOptions.in(regionDir)).create("br0", a, b, 2, 64, pool)) {
            return link.region().file();
        }
    }

    @Test
    void aDeviceWhoseVnfDiesIsReportedOnceAndAnAgentUnplugIsNot() throws Exception {
        Path p1 = TestRegions.port(regionDir, "p1", 1, pool);
        Path p3 = TestRegions.port(regionDir, "p3", 3, pool);
        Path link12 = link(1, 2);
        Path link34 = link(3, 4);
        try (ShellVnf dying = ShellVnf.start(driver.directory().root(), Map.of("p1", p1));
             ShellVnf staying = ShellVnf.start(driver.directory().root(), Map.of("p3", p3))) {
            PortOwner owner1 = driver.owner("p1").orElseThrow();
            PortOwner owner3 = driver.owner("p3").orElseThrow();
            assertEquals(new PortOwner("p1", dying.id(), "process", dying.pid()), owner1);
            driver.plug(owner1, link12.getFileName().toString(), link12);
            driver.plug(owner3, link34.getFileName().toString(), link34);
            // Let a scan see both devices, then take one away through the driver: no event for that.
            Thread.sleep(200);
            driver.unplug(owner3, link34.getFileName().toString());
            Thread.sleep(200);
            assertEquals(List.of(), List.copyOf(events), "an unplug the agent made is no event");

            dying.kill();
            Event event = events.poll(20, TimeUnit.SECONDS);
            assertTrue(event != null, "no event within 20 s of the VNF's death");
            assertEquals(new PluggedDevice("p1", dying.id(), link12.getFileName().toString(), link12, "process"),
                    event.device());
            assertTrue(event.reason().contains("is gone"), event.reason());
            Thread.sleep(200);
            assertEquals(List.of(), List.copyOf(events), "reported once");
            assertEquals(List.of(new PortOwner("p3", staying.id(), "process", staying.pid())), driver.ports());
        }
    }

    @Test
    void anEntryRemovedBehindTheAgentsBackIsReported() throws Exception {
        Path p1 = TestRegions.port(regionDir, "p1", 1, pool);
        Path link12 = link(1, 2);
        try (ShellVnf vnf = ShellVnf.start(driver.directory().root(), Map.of("p1", p1))) {
            driver.plug(driver.owner("p1").orElseThrow(), link12.getFileName().toString(), link12);
            Thread.sleep(200);
            Files.delete(vnf.directory().resolve("devices").resolve(link12.getFileName()));
            Event event = events.poll(20, TimeUnit.SECONDS);
            assertTrue(event != null, "no event within 20 s");
            assertTrue(event.reason().contains("removed outside the agent"), event.reason());
        }
    }

    @Test
    void unplugOfAnAbsentDeviceAndPlugForAVanishedVnfAreNotFound() throws Exception {
        Path p1 = TestRegions.port(regionDir, "p1", 1, pool);
        Path link12 = link(1, 2);
        PortOwner owner;
        try (ShellVnf vnf = ShellVnf.start(driver.directory().root(), Map.of("p1", p1))) {
            owner = driver.owner("p1").orElseThrow();
            DriverException absent = assertThrows(DriverException.class, () -> driver.unplug(owner, "shunt-link-br0-1-2-9"));
            assertEquals(DriverException.Kind.NOT_FOUND, absent.kind());
            vnf.kill();
        }
        DriverException gone = assertThrows(DriverException.class,
                () -> driver.plug(owner, link12.getFileName().toString(), link12));
        assertEquals(DriverException.Kind.NOT_FOUND, gone.kind());
        assertTrue(gone.getMessage().contains("is gone"), gone.getMessage());
    }
}
