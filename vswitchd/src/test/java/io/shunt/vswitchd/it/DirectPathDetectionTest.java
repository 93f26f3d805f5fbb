package io.shunt.vswitchd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct-path detector inside the running switch: flows added and removed with the real
 * ovs-ofctl make the {@code links} management method list (and stop listing) the paths they
 * create, as a user checks them; the direct-link settings show in the reason a path has no link.
 */
@Timeout(120)
class DirectPathDetectionTest {
    private SwitchHarness sw;

    @BeforeEach
    void start() throws Exception {
        sw = new SwitchHarness();
        sw.startDaemon();
        sw.setFailMode("secure");
        assertEquals(1, sw.addPort("p1"));
        assertEquals(2, sw.addPort("p2"));
        assertEquals(3, sw.addPort("p3"));
    }

    @AfterEach
    void stop() throws Exception {
        sw.close();
    }

    private List<JsonNode> links() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        sw.rpc("links", SwitchHarness.JSON.createObjectNode().put("bridge", "br0")).get("links").forEach(out::add);
        return out;
    }

    /** "p1->p2,p2->p1" for the directions of every listed path or link. */
    private String paths() throws Exception {
        List<String> s = new ArrayList<>();
        for (JsonNode l : links()) {
            for (JsonNode d : l.get("directions")) {
                s.add(d.get("from").asText() + "->" + d.get("to").asText());
            }
        }
        return String.join(",", s);
    }

    @Test
    void flowsAddedWithOvsOfctlCreateAndEndDirectPaths() throws Exception {
        assertEquals("", paths());
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        assertEquals("p1->p2", paths(), "listed as soon as the flow-mod is acknowledged");
        JsonNode one = links().getFirst();
        assertEquals(false, one.get("pair").asBoolean());
        assertEquals("br0", one.get("bridge").asText());
        assertEquals(1, one.get("directions").get(0).get("from_ofport").asInt());
        assertEquals(2, one.get("directions").get(0).get("to_ofport").asInt());

        sw.ofctl("add-flow", "in_port=2,actions=output:1");
        JsonNode pair = links().getFirst();
        assertEquals(1, links().size());
        assertTrue(pair.get("pair").asBoolean(), pair.toString());
        assertEquals("p1->p2,p2->p1", paths());

        // A higher-priority entry that takes only some of p1's packets breaks p1=>p2.
        sw.ofctl("add-flow", "priority=40000,in_port=1,tcp,actions=output:3");
        assertEquals("p2->p1", paths());
        sw.ofctl("del-flows", "--strict", "priority=40000,in_port=1,tcp");
        assertEquals("p1->p2,p2->p1", paths());

        // A rewrite is not a plain output.
        sw.ofctl("add-flow", "in_port=2,actions=mod_vlan_vid:7,output:1");
        assertEquals("p1->p2", paths());
        sw.ofctl("del-flows");
        assertEquals("", paths());
    }

    @Test
    void tableMissEntryAndGotoChainsAreFollowed() throws Exception {
        sw.ofctl("add-flow", "table=0,priority=0,actions=goto_table:3");
        sw.ofctl("add-flow", "table=3,in_port=3,actions=output:1");
        assertEquals("p3->p1", paths());
        sw.ofctl("add-flow", "table=3,priority=0,actions=output:3");
        // p1 and p2 now reach table 3's table-miss entry: p1=>p3 and p2=>p3; p3=>p1 with p1=>p3 is a pair.
        assertEquals("p3->p1,p1->p3,p2->p3", paths().replace("p1->p3,p3->p1", "p3->p1,p1->p3"));
    }

    @Test
    void portDownEndsThePathAndDirectLinkSettingsAreTheReasonShown() throws Exception {
        sw.ofctl("add-flow", "in_port=1,actions=output:2");
        assertEquals("p1->p2", paths());
        sw.ofctl("mod-port", "2", "down");
        assertEquals("", paths());
        sw.ofctl("mod-port", "2", "up");
        assertEquals("p1->p2", paths());

        ObjectNode off = SwitchHarness.JSON.createObjectNode().put("port", "p2").put("enabled", false);
        sw.rpc("set-direct-links", off);
        JsonNode l = links().getFirst();
        assertEquals("NORMAL", l.get("state").asText());
        assertEquals("direct links disabled on port p2", l.get("error").asText());
        sw.rpc("set-direct-links", SwitchHarness.JSON.createObjectNode().put("port", "p2").put("enabled", true));
        sw.rpc("set-direct-links", SwitchHarness.JSON.createObjectNode().put("enabled", false));
        assertEquals("direct links disabled switch-wide", links().getFirst().get("error").asText());
    }
}
