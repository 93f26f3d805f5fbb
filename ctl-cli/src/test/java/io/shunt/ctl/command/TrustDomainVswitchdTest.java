package io.shunt.ctl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shunt.ctl.ExitCode;
import io.shunt.ctl.testing.Ctl;
import io.shunt.ctl.testing.VswitchdProcess;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trust domains as an operator sees them, against a real shunt-vswitchd and its region
 * directory: bridges naming one domain share one pool file (which their ports' regions, and
 * so their VNFs, name), the setting and the pool survive a restart of vswitchd and of a
 * bridge, the pool goes with the domain's last bridge, and a refused change leaves the
 * configuration and the region files as they were.
 */
@Timeout(180)
class TrustDomainVswitchdTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private VswitchdProcess vswitchd;
    private Ctl ctl;

    @BeforeEach
    void start() throws Exception {
        vswitchd = VswitchdProcess.start(dir);
        ctl = new Ctl(vswitchd.runDir());
    }

    @AfterEach
    void stop() {
        if (vswitchd != null) {
            vswitchd.close();
        }
    }

    private List<String> poolFiles() throws IOException {
        try (Stream<Path> files = Files.list(vswitchd.regionDir())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("shunt-pool-")).sorted().toList();
        }
    }

    private long poolGeneration(String domain) throws IOException {
        try (PacketPool pool = PacketPool.attach(vswitchd.regionDir().resolve("shunt-pool-" + domain))) {
            return pool.region().generation();
        }
    }

    /** The pool a port's region names, as the VNF mapping it reads it: name and generation. */
    private String poolOfPort(String port) throws IOException {
        try (PortRegion region = PortRegion.attach(PortRegionNames.regionFile(vswitchd.regionDir(), port))) {
            return region.poolName() + "@" + region.poolGeneration();
        }
    }

    private JsonNode show() throws Exception {
        return JSON.readTree(ctl.ok("show", "--format", "json").out());
    }

    @Test
    void twoBridgesOfOneDomainShareOnePoolFileThatTheirPortsName() throws Exception {
        assertEquals(List.of("shunt-pool-br0"), poolFiles(), "the default bridge is a domain of its own");
        ctl.ok("add-br", "br1");
        ctl.ok("add-br", "br2");
        assertEquals(List.of("shunt-pool-br0", "shunt-pool-br1", "shunt-pool-br2"), poolFiles());
        ctl.ok("set-trust-domain", "br1", "tenant-a");
        ctl.ok("set-trust-domain", "br2", "tenant-a");
        assertEquals(List.of("shunt-pool-br0", "shunt-pool-tenant-a"), poolFiles(),
                "one pool for the domain; the bridges' own pools went with their last user");
        assertEquals("tenant-a\n", ctl.ok("get-trust-domain", "br2").out());
        assertEquals("br0\n", ctl.ok("get-trust-domain", "br0").out());
        ctl.ok("add-port", "br1", "v1");
        ctl.ok("add-port", "br2", "v2");
        ctl.ok("add-port", "br0", "v0");
        String shared = "shunt-pool-tenant-a@" + poolGeneration("tenant-a");
        assertEquals(shared, poolOfPort("v1"));
        assertEquals(shared, poolOfPort("v2"));
        assertEquals("shunt-pool-br0@" + poolGeneration("br0"), poolOfPort("v0"));
    }

    @Test
    void theDomainAndItsPoolSurviveABridgeRestartAndAVswitchdRestart() throws Exception {
        ctl.ok("add-br", "br1");
        ctl.ok("add-br", "br2");
        ctl.ok("set-trust-domain", "br1", "tenant-b");
        ctl.ok("set-trust-domain", "br2", "tenant-b");
        ctl.ok("add-port", "br1", "w1");
        ctl.ok("add-port", "br2", "w2");
        long generation = poolGeneration("tenant-b");

        // A fail-mode change restarts br1; br2 keeps the pool mapped and the file is not re-created.
        ctl.ok("set-fail-mode", "br1", "secure");
        assertEquals("secure\n", ctl.ok("get-fail-mode", "br1").out());
        assertEquals(generation, poolGeneration("tenant-b"));
        assertEquals("shunt-pool-tenant-b@" + generation, poolOfPort("w1"));

        vswitchd = vswitchd.restart();
        ctl = new Ctl(vswitchd.runDir());
        assertEquals("tenant-b\n", ctl.ok("get-trust-domain", "br1").out());
        assertEquals("tenant-b\n", ctl.ok("get-trust-domain", "br2").out());
        assertTrue(ctl.ok("show").out().contains("Bridge br2\n    fail_mode: standalone\n    datapath_id: "), "br2 restored");
        assertEquals(List.of("shunt-pool-br0", "shunt-pool-tenant-b"), poolFiles());
        assertEquals(generation, poolGeneration("tenant-b"), "the pool was re-attached, not re-created");
        assertEquals("shunt-pool-tenant-b@" + generation, poolOfPort("w1"), "VNFs keep their pool across the restart");
        assertEquals("shunt-pool-tenant-b@" + generation, poolOfPort("w2"));
        assertTrue(vswitchd.log().contains("re-attached pool"), "vswitchd logs that it re-attached the pool");
    }

    @Test
    void thePoolIsDeletedWithTheLastBridgeOfTheDomainOnly() throws Exception {
        ctl.ok("add-br", "br1");
        ctl.ok("add-br", "br2");
        ctl.ok("set-trust-domain", "br1", "tenant-c");
        ctl.ok("set-trust-domain", "br2", "tenant-c");
        ctl.ok("add-port", "br1", "x1");
        ctl.ok("add-port", "br2", "x2");
        long generation = poolGeneration("tenant-c");
        ctl.ok("del-br", "br1");
        assertEquals(List.of("shunt-pool-br0", "shunt-pool-tenant-c"), poolFiles(), "br2 still uses the pool");
        assertEquals(generation, poolGeneration("tenant-c"));
        assertEquals("shunt-pool-tenant-c@" + generation, poolOfPort("x2"));
        ctl.ok("del-br", "br2");
        assertEquals(List.of("shunt-pool-br0"), poolFiles(), "the domain's last bridge took its pool along");

        // Joining an existing bridge's domain by its name, and leaving it again.
        ctl.ok("add-br", "br3");
        ctl.ok("set-trust-domain", "br3", "br0");
        assertEquals(List.of("shunt-pool-br0"), poolFiles());
        assertTrue(ctl.ok("show").out().contains("Bridge br3\n    fail_mode: standalone\n    datapath_id: "));
        ctl.ok("set-trust-domain", "br3", "br3");
        assertEquals(List.of("shunt-pool-br0", "shunt-pool-br3"), poolFiles(), "br0 keeps its pool");
    }

    @Test
    void changingTheDomainOfABridgeWithPortsIsRefusedAndChangesNothing() throws Exception {
        ctl.ok("add-br", "br1");
        ctl.ok("add-port", "br1", "y1");
        ctl.ok("add-port", "br1", "y2");
        JsonNode before = show();
        List<String> pools = poolFiles();
        String pool = poolOfPort("y1");
        ctl.fails(ExitCode.REFUSED, "bridge br1 has 2 ports: delete them before changing its trust domain",
                "set-trust-domain", "br1", "tenant-d");
        ctl.fails(ExitCode.REFUSED, "invalid trust domain name 'no/slash'", "set-trust-domain", "br1", "no/slash");
        assertEquals(before, show());
        assertEquals(pools, poolFiles());
        assertEquals(pool, poolOfPort("y1"));
        ctl.ok("set-trust-domain", "br1", "br1");
        assertEquals(before, show(), "naming the domain it is in already is no change");
        ctl.ok("del-port", "br1", "y2");
        ctl.fails(ExitCode.REFUSED, "bridge br1 has 1 port: delete it before changing its trust domain",
                "set-trust-domain", "br1", "tenant-d");
        assertFalse(poolFiles().contains("shunt-pool-tenant-d"));
    }

    @Test
    void aNewBridgeJoinsADomainThatOtherBridgesHoldOnlyWhenItNamesIt() throws Exception {
        ctl.ok("add-br", "br1", "--", "trust_domain=tenant-e");
        assertEquals("tenant-e\n", ctl.ok("get-trust-domain", "br1").out());
        assertEquals(List.of("shunt-pool-br0", "shunt-pool-tenant-e"), poolFiles(), "br1 never had a pool of its own");

        JsonNode before = show();
        List<String> pools = poolFiles();
        ctl.fails(ExitCode.REFUSED, "a bridge named tenant-e would join trust domain tenant-e of bridge br1: add it with"
                + " trust_domain=tenant-e to mean it, or choose another name", "add-br", "tenant-e");
        ctl.fails(ExitCode.REFUSED, "bridge br1 already exists, in trust domain tenant-e",
                "add-br", "--may-exist", "br1", "--", "trust_domain=tenant-f");
        ctl.fails(ExitCode.REFUSED, "invalid trust domain name 'no/slash'", "add-br", "br2", "trust_domain=no/slash");
        ctl.fails(ExitCode.USAGE, "add-br: unknown setting 'trust-domain' (expected trust_domain=)",
                "add-br", "br2", "trust-domain=tenant-e");
        ctl.fails(ExitCode.USAGE, "add-br: setting 'tenant-e' is not KEY=VALUE", "add-br", "br2", "tenant-e");
        assertEquals(before, show());
        assertEquals(pools, poolFiles());
        ctl.ok("add-br", "--may-exist", "br1", "--", "trust_domain=tenant-e");
        ctl.ok("add-br", "--may-exist", "br1");
        assertEquals(before, show(), "--may-exist with the domain the bridge is in is no change");

        ctl.ok("add-br", "tenant-e", "--", "trust_domain=tenant-e");
        ctl.ok("add-port", "br1", "z1");
        ctl.ok("add-port", "tenant-e", "z2");
        assertEquals(poolOfPort("z1"), poolOfPort("z2"), "joined on purpose: one pool");

        // The default bridge deleted while another bridge is still in its domain: re-adding br0
        // would silently join that bridge's pool, so it too must say so.
        ctl.ok("add-br", "br4", "--", "trust_domain=br0");
        ctl.ok("del-br", "br0");
        assertTrue(poolFiles().contains("shunt-pool-br0"), "br4 still uses br0's pool");
        ctl.fails(ExitCode.REFUSED, "a bridge named br0 would join trust domain br0 of bridge br4", "add-br", "br0");
        assertFalse(ctl.ok("list-br").out().contains("br0\n"));
        ctl.ok("add-br", "br0", "--", "trust_domain=br0");
        assertEquals("br0\n", ctl.ok("get-trust-domain", "br0").out());
    }
}
