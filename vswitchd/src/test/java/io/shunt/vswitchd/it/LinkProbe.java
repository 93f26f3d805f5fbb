package io.shunt.vswitchd.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the direct-link tests read from a running vswitchd, as a user would: the {@code links}
 * and {@code link-events} management methods and {@code ovs-ofctl dump-ports}.
 */
final class LinkProbe {
    /** Groups of {@link #portStat}: rx packets and bytes, tx packets, bytes and drops. */
    static final int RX_PKTS = 1;
    static final int RX_BYTES = 2;
    static final int TX_PKTS = 3;
    static final int TX_BYTES = 4;
    static final int TX_DROP = 5;

    private static final Pattern NUMBERS = Pattern.compile(
            ":\\s+rx pkts=(\\d+), bytes=(\\d+),.*?\\n\\s+tx pkts=(\\d+), bytes=(\\d+), drop=(\\d+)", Pattern.DOTALL);

    private LinkProbe() {
    }

    /** The first link the {@code links} method lists, or {@code null} when there is none. */
    static JsonNode firstLink(SwitchHarness sw) throws IOException {
        JsonNode links = sw.rpc("links", SwitchHarness.JSON.createObjectNode()).get("links");
        return links.isEmpty() ? null : links.get(0);
    }

    /** Packets the first link's first direction carried (0 without a link). */
    static long firstLinkPackets(SwitchHarness sw) throws IOException {
        JsonNode l = firstLink(sw);
        return l == null ? 0 : l.get("directions").get(0).get("packets").asLong();
    }

    /** The transitions of {@code link} in order, as "FROM->TO" (with ": reason" if asked). */
    static List<String> transitions(SwitchHarness sw, String link, boolean withReasons) throws IOException {
        List<String> out = new ArrayList<>();
        ObjectNode p = SwitchHarness.JSON.createObjectNode().put("limit", 1024);
        for (JsonNode e : sw.rpc("link-events", p).get("events")) {
            if (link.equals(e.get("link").asText())) {
                out.add(e.get("from").asText() + "->" + e.get("to").asText()
                        + (withReasons ? ": " + e.get("reason").asText() : ""));
            }
        }
        return out;
    }

    /** One counter ({@link #RX_PKTS} ... {@link #TX_DROP}) of {@code port} in dump-ports output. */
    static long portStat(String dumpPorts, int port, int group) {
        Matcher m = Pattern.compile("port\\s+" + port + NUMBERS.pattern(), Pattern.DOTALL).matcher(dumpPorts);
        assertTrue(m.find(), "port " + port + " in dump-ports output:\n" + dumpPorts);
        return Long.parseLong(m.group(group));
    }

    /** One counter of {@code port}, read now through ovs-ofctl (for waits). */
    static long portCounter(SwitchHarness sw, int port, int group) throws IOException {
        try {
            return portStat(sw.ofctl("dump-ports"), port, group);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
