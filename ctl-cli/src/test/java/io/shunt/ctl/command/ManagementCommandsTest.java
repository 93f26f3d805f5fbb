package io.shunt.ctl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shunt.ctl.ExitCode;
import io.shunt.ctl.testing.Ctl;
import io.shunt.ctl.testing.Ctl.Result;
import io.shunt.ctl.testing.SharedVswitchd;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every configuration command of shunt-ctl against a real shunt-vswitchd
 * process: what a command changes is seen by another shunt-ctl read; what it
 * refuses leaves one line on stderr, the documented exit code, and the
 * configuration as it was. Tests share one vswitchd and use their own bridges.
 */
class ManagementCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SharedVswitchd vswitchd = new SharedVswitchd();
    private static final Ctl ctl = vswitchd.ctl();



    private static JsonNode show() throws Exception {
        return JSON.readTree(ctl.ok("show", "--format", "json").out());
    }

    private static JsonNode bridge(String name) throws Exception {
        for (JsonNode b : show().path("bridges")) {
            if (b.path("name").asText().equals(name)) {
                return b;
            }
        }
        return null;
    }

    @Test
    void addBrIsListedAndDelBrRemovesIt() throws Exception {
        ctl.ok("add-br", "brA");
        assertTrue(ctl.ok("list-br").out().lines().toList().contains("brA"));
        assertTrue(JSON.readTree(ctl.ok("list-br", "--format", "json").out()).toString().contains("\"brA\""));
        ctl.ok("del-br", "brA");
        assertFalse(ctl.ok("list-br").out().lines().toList().contains("brA"));
    }

    @Test
    void addBrOfAnExistingBridgeIsRefusedUnlessMayExist() throws Exception {
        ctl.ok("add-br", "brB");
        JsonNode before = show();
        ctl.fails(ExitCode.REFUSED, "bridge brB already exists", "add-br", "brB");
        assertEquals(before, show(), "nothing changed");
        ctl.ok("add-br", "--may-exist", "brB");
        assertEquals(before, show());
    }

    @Test
    void delBrOfAnUnknownBridgeIsRefusedUnlessIfExists() throws Exception {
        JsonNode before = show();
        ctl.fails(ExitCode.REFUSED, "no bridge named nosuch", "del-br", "nosuch");
        ctl.ok("del-br", "--if-exists", "nosuch");
        assertEquals(before, show());
    }

    @Test
    void addPortWithTypeOptionsAndOfportIsShownAndListed() throws Exception {
        ctl.ok("add-br", "brC");
        ctl.ok("add-port", "brC", "pc1");
        ctl.ok("add-port", "brC", "pc2", "--", "type=patch", "options:peer=pc9", "ofport_request=10");
        assertEquals(List.of("pc1", "pc2"), ctl.ok("list-ports", "brC").out().lines().toList());
        JsonNode ports = bridge("brC").path("ports");
        assertEquals("dpdkr", ports.get(0).path("type").asText());
        assertEquals(1, ports.get(0).path("ofport").asInt());
        assertEquals("patch", ports.get(1).path("type").asText());
        assertEquals(10, ports.get(1).path("ofport").asInt());
        assertEquals("pc9", ports.get(1).path("options").path("peer").asText());
        String tree = ctl.ok("show").out();
        assertTrue(tree.contains("Bridge brC\n"), tree);
        assertTrue(tree.contains("    Port pc2\n        ofport: 10\n        type: patch\n        options: {peer=pc9}\n"), tree);
    }

    @Test
    void addPortThatIsAlreadyInUseIsRefusedAndChangesNothing() throws Exception {
        ctl.ok("add-br", "brD");
        ctl.ok("add-br", "brE");
        ctl.ok("add-port", "brD", "pd1");
        JsonNode before = show();
        ctl.fails(ExitCode.REFUSED, "port pd1 already exists on bridge brD", "add-port", "brE", "pd1");
        ctl.fails(ExitCode.REFUSED, "port pd1 already exists on bridge brD", "add-port", "brD", "pd1");
        assertEquals(before, show());
    }

    @Test
    void aPortNamedLikeItsBridgeIsItsLocalPortSoOnlyAnInternalOneWithoutOfportRequest() throws Exception {
        ctl.ok("add-br", "brL");
        JsonNode before = show();
        ctl.fails(ExitCode.REFUSED, "port brL: a port named like its bridge is the bridge's LOCAL port and must be"
                + " type=internal, not dpdkr", "add-port", "brL", "brL");
        ctl.fails(ExitCode.REFUSED, "port brL: it is bridge brL's LOCAL port; ofport_request=3 cannot apply",
                "add-port", "brL", "brL", "--", "type=internal", "ofport_request=3");
        assertEquals(before, show());
    }

    @Test
    void addPortToAnUnknownBridgeIsRefused() throws Exception {
        JsonNode before = show();
        ctl.fails(ExitCode.REFUSED, "no bridge named brZZ", "add-port", "brZZ", "pz1");
        assertEquals(before, show());
    }

    @Test
    void addPortWithWrongArgumentsIsAUsageErrorAndSendsNothing() throws Exception {
        ctl.ok("add-br", "brF");
        JsonNode before = show();
        ctl.fails(ExitCode.USAGE, "unknown port type 'vhost'", "add-port", "brF", "pf1", "--", "type=vhost");
        ctl.fails(ExitCode.USAGE, "ofport_request=0 is not a port number", "add-port", "brF", "pf1", "ofport_request=0");
        ctl.fails(ExitCode.USAGE, "unknown setting 'mtu'", "add-port", "brF", "pf1", "mtu=9000");
        ctl.fails(ExitCode.USAGE, "Missing required parameter", "add-port", "brF");
        assertEquals(before, show());
    }

    @Test
    void invalidNamesAreRefusedByVswitchdWithItsReason() throws Exception {
        JsonNode before = show();
        ctl.fails(ExitCode.REFUSED, "invalid bridge name", "add-br", "a-name-that-is-much-too-long");
        assertEquals(before, show());
    }

    @Test
    void delPortRemovesItFromWhicheverBridgeHasIt() throws Exception {
        ctl.ok("add-br", "brG");
        ctl.ok("add-port", "brG", "pg1");
        ctl.ok("add-port", "brG", "pg2");
        ctl.ok("del-port", "brG", "pg1");
        ctl.ok("del-port", "pg2");
        assertEquals("", ctl.ok("list-ports", "brG").out());
        ctl.fails(ExitCode.REFUSED, "no port named pg2", "del-port", "pg2");
        ctl.fails(ExitCode.REFUSED, "no bridge named brNope", "list-ports", "brNope");
    }

    @Test
    void controllersAreSetReadAndDeleted() throws Exception {
        ctl.ok("add-br", "brH");
        ctl.ok("set-controller", "brH", "tcp:192.0.2.1:6653", "ptcp:6634:127.0.0.1");
        assertEquals(List.of("tcp:192.0.2.1:6653", "ptcp:6634:127.0.0.1"), ctl.ok("get-controller", "brH").out().lines().toList());
        assertTrue(ctl.ok("show").out().contains("Bridge brH\n    Controller \"tcp:192.0.2.1:6653\"\n    Controller \"ptcp:6634:127.0.0.1\"\n"));
        JsonNode before = show();
        ctl.fails(ExitCode.USAGE, "'tcp:nohostport' is not tcp:HOST:PORT", "set-controller", "brH", "tcp:nohostport");
        ctl.fails(ExitCode.REFUSED, "no bridge named brNone", "set-controller", "brNone", "tcp:192.0.2.1:6653");
        assertEquals(before, show());
        ctl.ok("del-controller", "brH");
        assertEquals("", ctl.ok("get-controller", "brH").out());
    }

    @Test
    void failModeIsSetAndRead() throws Exception {
        ctl.ok("add-br", "brI");
        assertEquals("standalone\n", ctl.ok("get-fail-mode", "brI").out());
        ctl.ok("set-fail-mode", "brI", "secure");
        assertEquals("secure\n", ctl.ok("get-fail-mode", "brI").out());
        assertEquals("\"secure\"", ctl.ok("get-fail-mode", "brI", "--format", "json").out().strip());
        ctl.fails(ExitCode.USAGE, "Invalid value for positional parameter at index 1 (MODE): expected one of [standalone, secure]",
                "set-fail-mode", "brI", "paranoid");
        assertEquals("secure\n", ctl.ok("get-fail-mode", "brI").out());
    }

    @Test
    void trustDomainIsSetReadAndShownPerBridge() throws Exception {
        ctl.ok("add-br", "brT");
        assertEquals("brT\n", ctl.ok("get-trust-domain", "brT").out(), "a bridge is a domain of its own by default");
        assertEquals("brT", bridge("brT").path("trustDomain").asText());
        ctl.ok("set-trust-domain", "brT", "tenant-t");
        assertEquals("tenant-t\n", ctl.ok("get-trust-domain", "brT").out());
        assertEquals("\"tenant-t\"", ctl.ok("get-trust-domain", "brT", "--format", "json").out().strip());
        assertEquals("tenant-t", bridge("brT").path("trustDomain").asText());
        String tree = ctl.ok("show").out();
        assertTrue(tree.contains("Bridge brT\n    fail_mode: standalone\n    datapath_id: "), tree);
        String brT = tree.substring(tree.indexOf("Bridge brT\n")).split("\n(?=\\S)", 2)[0];
        assertTrue(brT.contains("\n    datapath_id: ") && brT.endsWith("\n    trust_domain: tenant-t"), brT);
        assertTrue(tree.contains("    trust_domain: br0\n"), tree);
    }

    @Test
    void trustDomainChangesThatCannotBeMadeAreRefusedAndChangeNothing() throws Exception {
        ctl.ok("add-br", "brU");
        ctl.ok("add-port", "brU", "pu1");
        ctl.ok("add-port", "brU", "pu2");
        JsonNode before = show();
        ctl.fails(ExitCode.REFUSED, "bridge brU has 2 ports: delete them before changing its trust domain",
                "set-trust-domain", "brU", "tenant-u");
        ctl.fails(ExitCode.REFUSED, "invalid trust domain name 'a-domain-name-too-long'",
                "set-trust-domain", "brU", "a-domain-name-too-long");
        ctl.fails(ExitCode.REFUSED, "no bridge named brNo", "set-trust-domain", "brNo", "tenant-u");
        ctl.fails(ExitCode.REFUSED, "no bridge named brNo", "get-trust-domain", "brNo");
        ctl.fails(ExitCode.USAGE, "Missing required parameter", "set-trust-domain", "brU");
        assertEquals(before, show());
    }

    @Test
    void pmdSettingsChangeWhatIsGivenAndKeepTheRest() throws Exception {
        JsonNode before = show().path("pmd");
        ctl.ok("set-pmd", "--burst", "64", "--park-micros", "200");
        JsonNode after = show().path("pmd");
        assertEquals(64, after.path("burst").asInt());
        assertEquals(200, after.path("parkMicros").asInt());
        assertEquals(before.path("threads"), after.path("threads"));
        assertEquals(before.path("spinPolls"), after.path("spinPolls"));
        ctl.fails(ExitCode.REFUSED, "pmd threads 0 outside 1..64", "set-pmd", "--threads", "0");
        ctl.fails(ExitCode.USAGE, "give at least one of", "set-pmd");
        assertEquals(after, show().path("pmd"), "a refused set-pmd changes nothing");
    }

    @Test
    void directLinksAreSwitchedOffAndOnSwitchWideAndPerPort() throws Exception {
        ctl.ok("add-br", "brJ");
        ctl.ok("add-port", "brJ", "pj1");
        ctl.ok("set-direct-links", "off");
        assertFalse(show().path("directLinks").asBoolean(true));
        assertTrue(ctl.ok("show").out().contains("direct_links: off"));
        ctl.ok("set-direct-links", "on");
        assertTrue(show().path("directLinks").asBoolean(false));
        ctl.ok("set-direct-links", "off", "--port", "pj1");
        assertFalse(bridge("brJ").path("ports").get(0).path("directLinks").asBoolean(true));
        ctl.fails(ExitCode.REFUSED, "no port named pjX", "set-direct-links", "off", "--port", "pjX");
        ctl.fails(ExitCode.USAGE, "expected one of [on, off]", "set-direct-links", "maybe");
    }

    @Test
    void showPrintsTheDefaultBridgeAndSettingsAsATree() {
        String tree = ctl.ok("show").out();
        assertTrue(tree.startsWith("Bridge br0\n    fail_mode: standalone\n    datapath_id: "), tree);
        assertTrue(tree.contains("\npmd: threads="), tree);
    }

    @Test
    void versionNamesBothPrograms() throws Exception {
        List<String> lines = ctl.ok("version").out().lines().toList();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("shunt-ctl "));
        assertTrue(lines.get(1).startsWith("shunt-vswitchd ") && lines.get(1).contains("(Java "), lines.get(1));
        JsonNode json = JSON.readTree(ctl.ok("version", "--format", "json").out());
        assertTrue(json.path("vswitchd").path("shunt").isTextual());
    }

    @Test
    void pmdStatsAndCountersAreTablesOfWhatVswitchdReports() throws Exception {
        ctl.ok("add-br", "brK");
        ctl.ok("add-port", "brK", "pk1");
        List<String> pmd = ctl.ok("pmd-stats").out().lines().toList();
        assertTrue(pmd.getFirst().matches("BRIDGE +PMD +PORTS +PACKETS .*CYCLES PER PACKET .*IDLE SHARE .*"), pmd::toString);
        assertTrue(pmd.stream().anyMatch(l -> l.matches("brK +0 +pk1 +0 .*")), pmd::toString);
        JsonNode pmdJson = JSON.readTree(ctl.ok("pmd-stats", "--format", "json").out());
        assertTrue(pmdJson.isArray() && pmdJson.size() >= 2, pmdJson::toString);

        List<String> counters = ctl.ok("counters").out().lines().toList();
        assertTrue(counters.getFirst().matches("BRIDGE +PORT +OFPORT +RX PACKETS +RX BYTES .*"), counters::toString);
        assertTrue(counters.stream().anyMatch(l -> l.matches("brK +pk1 +1 +0 +0 .*")), counters::toString);
        boolean found = false;
        for (JsonNode row : JSON.readTree(ctl.ok("counters", "--format", "json").out())) {
            if (row.path("port").asText().equals("pk1")) {
                found = true;
                assertEquals("brK", row.path("bridge").asText());
                assertEquals(1, row.path("ofport").asInt());
            }
        }
        assertTrue(found, "counters --format json has port pk1");
    }

    @Test
    void usageErrorsPrintOneLineAndExit2() {
        ctl.fails(ExitCode.USAGE, "Unmatched argument at index", "frobnicate");
        ctl.fails(ExitCode.USAGE, "Missing required parameter", "add-br");
        ctl.fails(ExitCode.USAGE, "Unknown option: '--bogus'", "list-br", "--bogus");
        ctl.fails(ExitCode.USAGE, "no command given", new String[0]);
        ctl.fails(ExitCode.USAGE, "--timeout must be between 0 and 86400 seconds", "--timeout", "-1", "list-br");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        Result top = ctl.ok("--help");
        for (String command : List.of("add-br", "del-br", "list-br", "add-port", "del-port", "list-ports", "set-controller",
                "get-controller", "del-controller", "set-fail-mode", "get-fail-mode", "set-trust-domain", "get-trust-domain", "show", "set-pmd", "set-direct-links",
                "links", "pmd-stats", "counters", "version", "add-flow", "add-flows", "mod-flows", "del-flows", "dump-flows",
                "dump-ports", "dump-tables", "packet-out", "add-group", "del-groups", "dump-groups", "add-meter", "del-meters",
                "dump-meters", "completion")) {
            assertTrue(top.out().contains("  " + command), command + " listed in shunt-ctl --help");
            Result help = ctl.ok(command, "--help");
            assertTrue(help.out().contains("Usage: shunt-ctl " + command), help::toString);
            assertTrue(help.out().contains("Examples:\n  shunt-ctl " + command), command + " has examples:\n" + help.out());
        }
        assertTrue(top.out().contains("Exit status:"), "exit codes are documented in --help");
    }
}
