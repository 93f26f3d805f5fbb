package io.shunt.vswitchd.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigStoreTest {

    @TempDir
    Path dir;

    @Test
    void missingFileGivesOneStandaloneBridgeBr0() throws Exception {
        Configuration config = new ConfigStore(dir.resolve("conf.json")).load();
        assertEquals(1, config.bridges().size());
        assertEquals("br0", config.bridges().getFirst().name());
        assertEquals(FailMode.STANDALONE, config.bridges().getFirst().failMode());
        assertTrue(config.directLinks());
    }

    @Test
    void storedConfigurationComesBackEqual() throws Exception {
        ConfigStore store = new ConfigStore(dir.resolve("conf.json"));
        BridgeConfig br = BridgeConfig.create("br0")
                .withPort(new PortConfig("dpdkr0", PortType.DPDKR, 1, Map.of(), true))
                .withPort(new PortConfig("veth0", PortType.AFPACKET, 2, Map.of("mtu", "1500"), false))
                .withControllers(java.util.List.of("tcp:127.0.0.1:6653"))
                .withFailMode(FailMode.SECURE)
                .withTrustDomain("tenant-a");
        Configuration config = Configuration.defaults().withBridge(br).withPmd(new PmdConfig(2, 64, 10, 20, 30));
        store.store(config);
        assertEquals(config, store.load());
        assertTrue(Files.notExists(dir.resolve("conf.json.tmp")), "the temporary file is renamed away");
    }

    @Test
    void corruptFileIsReportedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("conf.json");
        byte[] garbage = "{\"schemaVersion\": 1, \"bridges\": [".getBytes(StandardCharsets.UTF_8);
        Files.write(file, garbage);
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigStore(file).load());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not valid"), e.getMessage());
        assertArrayEquals(garbage, Files.readAllBytes(file));
    }

    @Test
    void unknownSchemaVersionIsRefusedByName() throws Exception {
        Path file = dir.resolve("conf.json");
        ConfigStore store = new ConfigStore(file);
        store.store(Configuration.defaults());
        Files.writeString(file, Files.readString(file).replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 99"));
        ConfigException e = assertThrows(ConfigException.class, store::load);
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    }

    @Test
    void badPortNumberInFileIsRefused() throws Exception {
        Path file = dir.resolve("conf.json");
        ConfigStore store = new ConfigStore(file);
        store.store(Configuration.defaults().withBridge(BridgeConfig.create("br0")
                .withPort(new PortConfig("p1", PortType.DPDKR, 1, Map.of(), true))));
        Files.writeString(file, Files.readString(file).replace("\"ofport\" : 1", "\"ofport\" : 0"));
        ConfigException e = assertThrows(ConfigException.class, store::load);
        assertTrue(e.getMessage().contains("outside 1..65279"), e.getMessage());
    }

    @Test
    void aFileWrittenBeforeTrustDomainsExistedReadsEachBridgeAsItsOwnDomain() throws Exception {
        Path file = dir.resolve("conf.json");
        ConfigStore store = new ConfigStore(file);
        store.store(Configuration.defaults().withBridge(BridgeConfig.create("br1").withTrustDomain("tenant-a")));
        String written = Files.readString(file);
        assertTrue(written.contains("\"trustDomain\" : \"tenant-a\""), written);
        Files.writeString(file, written.replaceAll(",\\s*\"trustDomain\" : \"[^\"]*\"", ""));
        assertTrue(!Files.readString(file).contains("trustDomain"), Files.readString(file));
        Configuration old = store.load();
        assertEquals("br0", old.bridge("br0").orElseThrow().trustDomain());
        assertEquals("br1", old.bridge("br1").orElseThrow().trustDomain());
    }

    @Test
    void aTrustDomainThatIsNoSafeRegionNameIsRefused() throws Exception {
        Path file = dir.resolve("conf.json");
        ConfigStore store = new ConfigStore(file);
        store.store(Configuration.defaults().withBridge(BridgeConfig.create("br1").withTrustDomain("tenant-a")));
        Files.writeString(file, Files.readString(file).replace("\"tenant-a\"", "\"../etc\""));
        ConfigException e = assertThrows(ConfigException.class, store::load);
        assertTrue(e.getMessage().contains("invalid trust domain name '../etc'"), e.getMessage());
    }

    @Test
    void theBridgesLocalPortIsStoredAsLocalAndTakesNoOrdinaryNumber() throws Exception {
        ConfigDatabase db = new ConfigDatabase(new ConfigStore(dir.resolve("conf.json")));
        ConfigError notInternal = assertThrows(ConfigError.class,
                () -> db.addPort("br0", "br0", PortType.AFPACKET, Map.of(), 0));
        assertEquals("port br0: a port named like its bridge is the bridge's LOCAL port and must be type=internal,"
                + " not afpacket", notInternal.getMessage());
        assertThrows(ConfigError.class, () -> db.addPort("br0", "br0", PortType.INTERNAL, Map.of(), 5));
        assertEquals(PortConfig.LOCAL_OFPORT, db.addPort("br0", "br0", PortType.INTERNAL, Map.of(), 0).ofport());
        assertEquals(1, db.addPort("br0", "p1", PortType.DPDKR, Map.of(), 0).ofport());
        Configuration reloaded = new ConfigStore(dir.resolve("conf.json")).load();
        assertEquals(db.current(), reloaded);
        assertTrue(reloaded.bridge("br0").orElseThrow().port("br0").orElseThrow().isLocal());
        assertEquals(2, reloaded.bridge("br0").orElseThrow().nextOfport());
    }

    @Test
    void aLocalNumberOnAPortNotNamedLikeItsBridgeIsRefused() throws Exception {
        Path file = dir.resolve("conf.json");
        ConfigStore store = new ConfigStore(file);
        store.store(Configuration.defaults().withBridge(BridgeConfig.create("br0")
                .withPort(new PortConfig("int0", PortType.INTERNAL, 1, Map.of(), true))));
        Files.writeString(file, Files.readString(file).replace("\"ofport\" : 1", "\"ofport\" : -2"));
        ConfigException e = assertThrows(ConfigException.class, store::load);
        assertTrue(e.getMessage().contains("port int0 is LOCAL but only the internal port named br0 can be"),
                e.getMessage());
    }
}
