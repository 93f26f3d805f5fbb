package io.shunt.ivshmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.region.RegionOptions;

class ProcessDeviceDirectoryTest {
    @TempDir
    Path regionDir;
    Path root;
    PacketPool pool;
    Path p1;
    Path p2;
    final List<ShellVnf> vnfs = new ArrayList<>();

    @BeforeEach
    void regions() throws IOException {
        root = ProcessDeviceDirectory.defaultRoot(regionDir);
        Files.createDirectories(root);
        pool = TestRegions.pool(regionDir, "shunt-pool-br0");
        p1 = TestRegions.port(regionDir, "p1", 1, pool);
        p2 = TestRegions.port(regionDir, "p2", 2, pool);
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ShellVnf vnf : vnfs) {
            vnf.close();
        }
        pool.close();
    }

    private ShellVnf vnf(Map<String, Path> ports) throws Exception {
        ShellVnf vnf = ShellVnf.start(root, ports);
        vnfs.add(vnf);
        return vnf;
    }

    private Path link(int a, int b) throws IOException {
        try (LinkRegion link = new LinkRegions(RegionOptions.in(regionDir)).create("br0", a, b, 2, 64, pool)) {
            return link.region().file();
        }
    }

    @Test
    void aLiveRegisteredProcessIsListedWithItsPorts() throws Exception {
        ShellVnf vnf = vnf(Map.of("p1", p1, "p2", p2));
        ProcessDeviceDirectory directory = new ProcessDeviceDirectory(root);
        List<ProcessVnf> live = directory.vnfs();
        assertEquals(1, live.size());
        assertEquals(vnf.id(), live.get(0).id());
        assertEquals(vnf.pid(), live.get(0).pid());
        assertEquals(Map.of("p1", p1, "p2", p2), live.get(0).ports());
        assertEquals(vnf.id(), directory.owner("p2").orElseThrow().id());
        assertTrue(directory.owner("p3").isEmpty());
    }

    @Test
    void aKilledProcessIsIgnoredAlthoughItsDirectoryStays() throws Exception {
        ShellVnf dead = vnf(Map.of("p1", p1));
        ShellVnf alive = vnf(Map.of("p2", p2));
        dead.kill();
        assertTrue(Files.exists(dead.directory().resolve("pid")), "SIGKILL leaves the registration behind");
        ProcessDeviceDirectory directory = new ProcessDeviceDirectory(root);
        assertEquals(List.of(alive.id()), directory.vnfs().stream().map(ProcessVnf::id).toList());
        assertTrue(directory.owner("p1").isEmpty());
    }

    @Test
    void aPidNowUsedByALaterProcessIsNotTheVnf() throws Exception {
        ShellVnf vnf = vnf(Map.of("p1", p1));
        // The registration predates the process that has this pid now: the VNF died and the pid was reused.
        Files.setLastModifiedTime(vnf.directory().resolve("pid"), FileTime.from(Instant.now().minusSeconds(3600)));
        assertEquals(List.of(), new ProcessDeviceDirectory(root).vnfs());
    }

    @Test
    void whenTwoLiveVnfsClaimAPortTheLaterRegistrationOwnsIt() throws Exception {
        ShellVnf first = vnf(Map.of("p1", p1));
        ShellVnf second = vnf(Map.of("p1", p1, "p2", p2));
        Files.setLastModifiedTime(second.directory().resolve("pid"), FileTime.from(Instant.now().plusSeconds(1)));
        ProcessDeviceDirectory directory = new ProcessDeviceDirectory(root);
        assertEquals(second.id(), directory.owner("p1").orElseThrow().id());
        second.kill();
        assertEquals(first.id(), directory.owner("p1").orElseThrow().id(), "the other claim stands once it is dead");
    }

    @Test
    void registrationsWithoutAPidFileOrWithGarbageAreIgnored() throws Exception {
        Files.createDirectories(root.resolve("pid-1234567/ports"));                // no pid file yet
        Files.createDirectories(root.resolve("vnf-x"));
        Files.writeString(root.resolve("vnf-x/pid"), "not a pid\n");
        Files.writeString(root.resolve("stray-file"), "x");
        ShellVnf vnf = vnf(Map.of("p1", p1));
        assertEquals(List.of(vnf.id()), new ProcessDeviceDirectory(root).vnfs().stream().map(ProcessVnf::id).toList());
    }

    @Test
    void plugMakesTheEntryPointToTheRegionAndUnplugRemovesIt() throws Exception {
        ShellVnf shell = vnf(Map.of("p1", p1));
        Path link = link(1, 2);
        String device = link.getFileName().toString();
        ProcessDeviceDirectory directory = new ProcessDeviceDirectory(root);
        ProcessVnf vnf = directory.owner("p1").orElseThrow();

        assertEquals(ProcessDeviceDirectory.PlugOutcome.PLUGGED, directory.plug(vnf, device, link));
        Path entry = shell.directory().resolve("devices").resolve(device);
        assertTrue(Files.isSymbolicLink(entry));
        assertEquals(link, Files.readSymbolicLink(entry));
        assertEquals(List.of(device), names(shell.directory().resolve("devices")), "no temporary left behind");
        try (LinkRegion attached = LinkRegion.attach(entry)) {
            assertEquals(1, attached.portA(), "the shim attaches through the entry");
        }
        List<ProcessDevice> devices = directory.devices();
        assertEquals(1, devices.size());
        assertEquals(device, devices.get(0).device());
        assertEquals(link, devices.get(0).region());
        assertEquals(List.of("p1"), devices.get(0).ports(), "p1 (ofport 1) is an end of link 1-2");

        assertEquals(ProcessDeviceDirectory.PlugOutcome.ALREADY_PLUGGED, directory.plug(vnf, device, link));
        assertTrue(directory.unplug(vnf, device));
        assertFalse(Files.exists(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(directory.unplug(vnf, device), "second unplug finds nothing");
        assertEquals(List.of(), directory.devices());
    }

    @Test
    void plugOfTheSameDeviceWithAnotherRegionIsAConflictAndChangesNothing() throws Exception {
        vnf(Map.of("p1", p1));
        Path link = link(1, 2);
        Path other = link(1, 2);
        ProcessDeviceDirectory directory = new ProcessDeviceDirectory(root);
        ProcessVnf vnf = directory.owner("p1").orElseThrow();
        String device = link.getFileName().toString();
        directory.plug(vnf, device, link);
        DeviceConflictException e = assertThrows(DeviceConflictException.class,
                () -> directory.plug(vnf, device, other));
        assertTrue(e.getMessage().contains(link.toString()) && e.getMessage().contains(other.toString()), e.getMessage());
        assertEquals(link, Files.readSymbolicLink(vnf.devicesDirectory().resolve(device)));
    }

    @Test
    void badNamesAndRelativeRegionsAreRefused() throws Exception {
        vnf(Map.of("p1", p1));
        ProcessDeviceDirectory directory = new ProcessDeviceDirectory(root);
        ProcessVnf vnf = directory.owner("p1").orElseThrow();
        Path link = link(1, 2);
        for (String bad : new String[] {"", ".hidden", "a/b", "..", "x".repeat(65)}) {
            assertThrows(IllegalArgumentException.class, () -> directory.plug(vnf, bad, link), bad);
        }
        assertThrows(IllegalArgumentException.class,
                () -> directory.plug(vnf, "shunt-link-br0-1-2-1", Path.of("relative/region")));
        assertFalse(Files.exists(vnf.devicesDirectory()) && names(vnf.devicesDirectory()).size() > 0);
    }

    /**
     * A watcher that lists devices/ while plugs and unplugs go on sees either no entry or a
     * complete one that points to the region: never a half-made or a temporary name it would take
     * for a device.
     */
    @Test
    void aWatcherNeverSeesAHalfMadeEntry() throws Exception {
        ShellVnf shell = vnf(Map.of("p1", p1));
        Path link = link(1, 2);
        String device = link.getFileName().toString();
        ProcessDeviceDirectory directory = new ProcessDeviceDirectory(root);
        ProcessVnf vnf = directory.owner("p1").orElseThrow();
        Path devices = shell.directory().resolve("devices");
        Files.createDirectories(devices);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong seen = new AtomicLong();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread watcher = new Thread(() -> {
            while (!stop.get()) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(devices)) {
                    for (Path entry : entries) {
                        String name = entry.getFileName().toString();
                        if (name.startsWith(".")) {
                            continue; // hidden: the writer's temporary, which a shim skips
                        }
                        try {
                            Path target = Files.readSymbolicLink(entry);
                            if (!name.equals(device) || !target.equals(link)) {
                                wrong.add(name + " -> " + target);
                            }
                            seen.incrementAndGet();
                        } catch (java.nio.file.NoSuchFileException gone) {
                            // unplugged between the listing and the read: fine
                        }
                    }
                } catch (IOException e) {
                    wrong.add(e.toString());
                }
                Thread.onSpinWait();
            }
        });
        watcher.start();
        for (int i = 0; i < 300; i++) {
            assertEquals(ProcessDeviceDirectory.PlugOutcome.PLUGGED, directory.plug(vnf, device, link));
            assertTrue(directory.unplug(vnf, device));
        }
        directory.plug(vnf, device, link);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (seen.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        stop.set(true);
        watcher.join(10_000);
        assertEquals(List.of(), wrong);
        assertTrue(seen.get() > 0, "the watcher saw the plugged entry");
        assertEquals(List.of(device), names(devices));
    }

    private static List<String> names(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(e -> names.add(e.getFileName().toString()));
        }
        return names;
    }
}
