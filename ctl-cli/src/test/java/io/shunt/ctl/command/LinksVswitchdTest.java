package io.shunt.ctl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shunt.ctl.ExitCode;
import io.shunt.ctl.testing.Ctl;
import io.shunt.ctl.testing.SharedVswitchd;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * shunt-ctl links against a real shunt-vswitchd: the direct paths that flows
 * added with shunt-ctl make are what links lists (A⇒B, then A⇔B with a row
 * per direction), the direct-link switches set with shunt-ctl show as the
 * reason a path has no link, and --watch refreshes as often as asked. No
 * compute agent runs: a link cannot be plugged, and says why; where a test
 * needs a path that holds still, direct links are switched off for one of
 * its ports. Each test has its own bridge.
 */
@Timeout(120)
class LinksVswitchdTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER = "LINK  PORTS  STATE  AGE  PACKETS  BYTES  LAST TRANSITION";

    @RegisterExtension
    static final SharedVswitchd vswitchd = new SharedVswitchd();
    private static final Ctl ctl = vswitchd.ctl();

    /** A secure bridge (no NORMAL forwarding) with dpdkr ports a1, a2, a3 as OpenFlow ports 1, 2, 3. */
    private static void bridgeWithThreePorts(String bridge, String prefix) {
        ctl.ok("add-br", bridge);
        ctl.ok("set-fail-mode", bridge, "secure");
        for (int i = 1; i <= 3; i++) {
            ctl.ok("add-port", bridge, prefix + i);
        }
    }

    private static JsonNode links(String bridge) throws Exception {
        return JSON.readTree(ctl.ok("links", bridge, "--format", "json").out()).path("links");
    }

    @Test
    void aBridgeWithNoLinksIsAnEmptyTable() throws Exception {
        ctl.ok("add-br", "brE");
        assertEquals(HEADER + "\n", ctl.ok("links", "brE").out());
        assertEquals(0, links("brE").size());
    }

    /** Runs {@code links BRIDGE} until its output has a line matching {@code row} (bounded), and returns that output. */
    private static List<String> awaitLinks(String bridge, String row) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = ctl.ok("links", bridge).out().lines().toList();
            if (lines.stream().anyMatch(l -> l.matches(row))) {
                return lines;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line matching " + row + " in links " + bridge + " within 20 s; last:\n" + String.join("\n", lines));
    }

    @Test
    void flowsAddedWithShuntCtlMakeThePathsLinksShows() throws Exception {
        bridgeWithThreePorts("brL", "l");
        ctl.ok("set-direct-links", "off", "--port", "l2");
        ctl.ok("add-flow", "brL", "in_port=1,actions=output:2");
        List<String> one = ctl.ok("links", "brL").out().lines().toList();
        assertTrue(one.get(0).matches("LINK +PORTS +STATE +AGE +PACKETS +BYTES +LAST TRANSITION +ERROR"), one::toString);
        assertEquals(2, one.size(), one::toString);
        assertTrue(one.get(1).matches("- +l1⇒l2 +NORMAL +0ms +0 +0 +- +direct links disabled on port l2"), one::toString);
        JsonNode link = links("brL").get(0);
        assertEquals("brL", link.path("bridge").asText());
        assertEquals(false, link.path("pair").asBoolean());
        assertEquals(1, link.path("directions").get(0).path("from_ofport").asInt());
        assertEquals(2, link.path("directions").get(0).path("to_ofport").asInt());

        ctl.ok("add-flow", "brL", "in_port=2,actions=output:1");
        List<String> pair = ctl.ok("links", "brL").out().lines().toList();
        assertEquals(4, pair.size(), () -> "the pair and a row per direction: " + pair);
        assertTrue(pair.get(1).matches("- +l1⇔l2 +NORMAL +0ms +0 +0 +- +direct links disabled on port l2"), pair::toString);
        assertTrue(pair.get(2).matches(" +l1⇒l2 +NORMAL +0 +0"), pair::toString);
        assertTrue(pair.get(3).matches(" +l2⇒l1 +NORMAL +0 +0"), pair::toString);

        ctl.ok("del-flows", "brL");
        assertEquals(HEADER + "\n", ctl.ok("links", "brL").out());
    }

    /**
     * Which state such a link shows (PLUGGING, RETRY_WAIT, ...) is the link manager's to choose;
     * what an administrator must see is the link, its ports, its last transition and the reason.
     */
    @Test
    void withoutAComputeAgentALinkIsNotPluggedAndSaysWhy() throws Exception {
        bridgeWithThreePorts("brR", "r");
        ctl.ok("add-flow", "brR", "in_port=1,actions=output:2");
        List<String> lines = awaitLinks("brR", "shunt-link-brR-1-2-\\d+ +r1⇒r2 +[A-Z_]+ +.*no compute agent configured.*");
        String row = lines.stream().filter(l -> l.startsWith("shunt-link-brR-1-2-")).findFirst().orElseThrow();
        assertTrue(lines.get(0).matches("LINK +PORTS +STATE +AGE +PACKETS +BYTES +LAST TRANSITION +ERROR"), lines::toString);
        assertTrue(row.matches("\\S+ +r1⇒r2 +[A-Z_]+ +\\S+ +0 +0 +[A-Z_]+->[A-Z_]+ at 20\\S+Z .*"), row);
        ctl.ok("del-flows", "brR");
        awaitLinks("brR", "LINK +PORTS +STATE +AGE +PACKETS +BYTES +LAST TRANSITION");
    }

    @Test
    void directLinksSwitchedOffShowAsTheLinksError() throws Exception {
        bridgeWithThreePorts("brO", "o");
        ctl.ok("add-flow", "brO", "in_port=1,actions=output:2");
        ctl.ok("set-direct-links", "off", "--port", "o2");
        awaitLinks("brO", "- +o1⇒o2 +NORMAL +.* +direct links disabled on port o2");
        assertEquals("direct links disabled on port o2", links("brO").get(0).path("error").asText());
        ctl.ok("set-direct-links", "on", "--port", "o2");
        ctl.ok("set-direct-links", "off");
        try {
            awaitLinks("brO", "- +o1⇒o2 +NORMAL +.* +direct links disabled switch-wide");
        } finally {
            ctl.ok("set-direct-links", "on");
        }
    }

    @Test
    void watchRefreshesCountTimesAsTextOrOneJsonLineEach() throws Exception {
        bridgeWithThreePorts("brW", "w");
        ctl.ok("set-direct-links", "off", "--port", "w1");
        ctl.ok("add-flow", "brW", "in_port=3,actions=output:1");
        List<String> json = ctl.ok("links", "brW", "--watch", "--interval", "0.05", "--count", "3", "--format", "json")
                .out().lines().toList();
        assertEquals(3, json.size(), json::toString);
        for (String line : json) {
            assertEquals("w3", JSON.readTree(line).path("links").get(0).path("directions").get(0).path("from").asText());
        }
        List<String> text = ctl.ok("links", "brW", "--watch", "--interval", "0.05", "--count", "2").out().lines().toList();
        assertEquals(2, text.stream().filter(l -> l.startsWith("Direct links of brW at ")).count(), text::toString);
        assertEquals(2, text.stream().filter(l -> l.contains("w3⇒w1")).count(), text::toString);
    }

    @Test
    void anUnknownBridgeOrBadWatchArgumentsAreRefusedWithOneLine() {
        ctl.fails(ExitCode.REFUSED, "no bridge named 'brNone'", "links", "brNone");
        ctl.fails(ExitCode.USAGE, "--interval must be between 0.01 and 86400 seconds", "links", "--watch", "--interval", "0");
        ctl.fails(ExitCode.USAGE, "--count must be at least 1", "links", "--watch", "--count", "0");
    }
}
