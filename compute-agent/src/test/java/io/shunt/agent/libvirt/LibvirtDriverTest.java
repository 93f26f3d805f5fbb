package io.shunt.agent.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import io.shunt.agent.driver.DriverException;
import io.shunt.agent.driver.PlugResult;
import io.shunt.agent.driver.PluggedDevice;
import io.shunt.agent.driver.PortOwner;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionNames;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.ivshmem.LinkRegions;

/**
 * The libvirt driver against real libvirtd and a real QEMU guest (TCG) of the test-vms image,
 * whose guest shim ({@code VmMain watch}) logs every ivshmem device it mirrors. One domain owns
 * two ports of a pool; links between them are plugged, replugged, unplugged, refused. Runs only
 * with SHUNT_VM_TESTS=1 (test-vms/image/vm-tests.sh): it boots a VM (about a minute under TCG).
 */
@EnabledIfEnvironmentVariable(named = "SHUNT_VM_TESTS", matches = "1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LibvirtDriverTest {
    private static final Duration GUEST_TIMEOUT = Duration.ofSeconds(240);
    private static final String URI = "qemu:///system";

    private final String tag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private final String bridge = "t" + tag;
    private final String portA = "t" + tag + "a";
    private final String portB = "t" + tag + "b";
    private final RegionOptions options = RegionOptions.defaults().withOwner(null, LibvirtDriver.DEFAULT_QEMU_USER);
    private final List<AutoCloseable> regions = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private final BlockingQueue<PluggedDevice> removed = new LinkedBlockingQueue<>();
    private PacketPool pool;
    private LinkRegion link;
    private TestDomain domain;
    private LibvirtDriver driver;

    @BeforeAll
    void bootDomainOwningTwoPorts() throws Exception {
        TestDomain.requireEnvironment();
        pool = PacketPool.create(options, "shunt-pool-" + bridge, 1024, 1);
        PortRegion a = PortRegion.create(options, PortRegionNames.regionName(portA), 1, 256, pool, 2);
        PortRegion b = PortRegion.create(options, PortRegionNames.regionName(portB), 2, 256, pool, 3);
        regions.addAll(List.of(a, b, pool));
        files.addAll(List.of(pool.region().file(), a.region().file(), b.region().file()));
        link = new LinkRegions(options).create(bridge, 1, 2, 2, 256, pool);
        regions.add(0, link);
        files.add(link.region().file());
        domain = TestDomain.start("shunt-test-" + tag, "watch", "", files.subList(0, 3));
        driver = new LibvirtDriver(URI, LibvirtDriver.DEFAULT_QEMU_USER);
        driver.watch((device, reason) -> removed.add(device));
        assertTrue(domain.awaitLog("ivshmem region(s) on the PCI bus", 1, GUEST_TIMEOUT),
                () -> "the guest shim did not start:\n" + logOf(domain));
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (domain != null) {
            domain.close();
        }
        for (AutoCloseable region : regions) {
            region.close();
        }
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
    }

    @Test
    @Order(1)
    void ownerIsTheRunningDomainWhoseXmlHoldsThePortShmem() throws Exception {
        assertEquals(Optional.of(new PortOwner(portA, domain.name, "libvirt", 0)), driver.owner(portA));
        assertEquals(Optional.of(new PortOwner(portB, domain.name, "libvirt", 0)), driver.owner(portB));
        assertEquals(Optional.empty(), driver.owner("t" + tag + "z"));
        List<String> ports = driver.ports().stream().filter(o -> o.vnf().equals(domain.name)).map(PortOwner::port).toList();
        assertEquals(List.of(portA, portB), ports);
    }

    @Test
    @Order(2)
    void plugHotPlugsTheLinkAndTheGuestShimFindsItByItsHeader() throws Exception {
        String device = link.region().name();
        PortOwner owner = driver.owner(portA).orElseThrow();
        PlugResult result = driver.plug(owner, device, link.region().file());
        assertFalse(result.alreadyPlugged());
        assertTrue(domain.dumpXml().contains("<shmem name='" + device + "'>"), "virsh dumpxml shows the device");
        assertTrue(domain.awaitLog("LINK device '" + device + "'", 1, Duration.ofSeconds(60)),
                () -> "the guest never mirrored " + device + ":\n" + logOf(domain));

        assertTrue(driver.plug(owner, device, link.region().file()).alreadyPlugged(), "same device again is a no-op");
        List<PluggedDevice> devices = driver.devices().stream().filter(d -> d.device().equals(device)).toList();
        assertEquals(List.of(new PluggedDevice(portA, domain.name, device, link.region().file(), "libvirt"),
                new PluggedDevice(portB, domain.name, device, link.region().file(), "libvirt")), devices);
    }

    @Test
    @Order(3)
    void unplugDetachesAndTheDeviceRemovedEventReportsIt() throws Exception {
        String device = link.region().name();
        PortOwner owner = driver.owner(portA).orElseThrow();
        driver.unplug(owner, device);
        PluggedDevice gone = removed.poll(60, TimeUnit.SECONDS);
        assertNotNull(gone, "no device-removed event within 60 s");
        assertEquals(device, gone.device());
        assertEquals(domain.name, gone.vnf());
        assertFalse(domain.dumpXml().contains("<shmem name='" + device + "'>"), "virsh dumpxml no longer shows it");
        assertTrue(domain.awaitLog("LINK device '" + device + "' at PCI", 1, Duration.ofSeconds(30))
                && domain.awaitLog(device + " unlinked", 1, Duration.ofSeconds(30)),
                () -> "the guest never saw the removal:\n" + logOf(domain));

        DriverException again = assertThrows(DriverException.class, () -> driver.unplug(owner, device));
        assertEquals(DriverException.Kind.NOT_FOUND, again.kind());
    }

    @Test
    @Order(4)
    void replugAfterUnplugWorksAndTheGuestSeesItAgain() throws Exception {
        String device = link.region().name();
        PortOwner owner = driver.owner(portB).orElseThrow();
        assertFalse(driver.plug(owner, device, link.region().file()).alreadyPlugged());
        assertTrue(domain.awaitLog("LINK device '" + device + "' (", 2, Duration.ofSeconds(60)),
                () -> "the guest did not mirror the replugged device:\n" + logOf(domain));
        driver.unplug(owner, device);
        assertNotNull(removed.poll(60, TimeUnit.SECONDS), "no device-removed event for the second unplug");
    }

    @Test
    @Order(5)
    void regionQemuCannotOpenIsRefusedBeforeLibvirtWithWhatToChange() throws Exception {
        LinkRegion rootOnly = new LinkRegions(RegionOptions.defaults()).create(bridge, 1, 2, 2, 256, pool);
        regions.add(0, rootOnly);
        files.add(rootOnly.region().file());
        GroupPrincipal root = rootOnly.region().file().getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByGroupName("root");
        Files.getFileAttributeView(rootOnly.region().file(), PosixFileAttributeView.class).setGroup(root);
        PortOwner owner = driver.owner(portA).orElseThrow();
        DriverException refused = assertThrows(DriverException.class,
                () -> driver.plug(owner, rootOnly.region().name(), rootOnly.region().file()));
        assertEquals(DriverException.Kind.FAILED, refused.kind());
        assertTrue(refused.getMessage().contains("QEMU runs as libvirt-qemu and cannot open"), refused.getMessage());
        assertFalse(domain.dumpXml().contains(rootOnly.region().name()));
    }

    @Test
    @Order(6)
    void regionOutsideDevShmIsRefused(@org.junit.jupiter.api.io.TempDir Path elsewhere) throws Exception {
        PortOwner owner = driver.owner(portA).orElseThrow();
        Path copy = elsewhere.resolve(link.region().name());
        DriverException refused = assertThrows(DriverException.class,
                () -> driver.plug(owner, link.region().name(), copy));
        assertEquals(DriverException.Kind.FAILED, refused.kind());
        assertTrue(refused.getMessage().contains("libvirt backs <shmem name='" + link.region().name() + "'> with /dev/shm/"),
                refused.getMessage());
    }

    @Test
    @Order(7)
    void unreachableLibvirtdIsUnavailable() {
        try (LibvirtDriver nowhere = new LibvirtDriver("qemu:///system?socket=/nonexistent/libvirt-sock",
                LibvirtDriver.DEFAULT_QEMU_USER)) {
            DriverException down = assertThrows(DriverException.class, () -> nowhere.owner(portA));
            assertEquals(DriverException.Kind.UNAVAILABLE, down.kind());
            assertTrue(down.getMessage().contains("cannot be reached"), down.getMessage());
        }
    }

    @Test
    @Order(8)
    void aStoppedDomainOwnsNothingAndAPlugIntoItIsNotFound() throws Exception {
        PortOwner stale = driver.owner(portA).orElseThrow();
        domain.destroy();
        assertEquals(Optional.empty(), driver.owner(portA));
        DriverException gone = assertThrows(DriverException.class,
                () -> driver.plug(stale, link.region().name(), link.region().file()));
        assertEquals(DriverException.Kind.NOT_FOUND, gone.kind());
    }

    private static String logOf(TestDomain domain) {
        try {
            return domain.log();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
