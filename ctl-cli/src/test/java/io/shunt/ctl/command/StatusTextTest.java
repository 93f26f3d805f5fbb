package io.shunt.ctl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The text layouts of links, pmd-stats and counters, for results shaped as
 * docs/shunt-ctl.md documents them (vswitchd does not serve these methods
 * yet; ManagementCommandsTest covers what happens until it does).
 */
class StatusTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String links(String json) throws Exception {
        StringWriter out = new StringWriter();
        StatusCommands.printLinks(JSON.readTree(json), new PrintWriter(out));
        return out.toString();
    }

    @Test
    void linksAreATableInTheDocumentedColumnOrder() throws Exception {
        String text = links("""
                {"links": [
                  {"state": "DIRECT", "link": "vnf1-vnf2", "bridge": "br0", "ports": ["vnf1", "vnf2"], "age_seconds": 12.34,
                   "packets": 1000, "bytes": 64000, "drops": 0,
                   "last_transition": {"from": "FENCED", "to": "DIRECT", "at": "2026-11-25T11:00:00Z", "reason": "fence consumed"}},
                  {"bridge": "br0", "link": "vnf3-vnf4", "ports": ["vnf3", "vnf4"], "state": "PLUGGING", "age_seconds": 0.5,
                   "packets": 0, "bytes": 0, "drops": 0, "generation": 2}
                ]}""");
        assertEquals("""
                BRIDGE  LINK       PORTS      STATE     AGE    PACKETS  BYTES  DROPS  LAST TRANSITION                                          GENERATION
                br0     vnf1-vnf2  vnf1,vnf2  DIRECT    12.3s  1000     64000  0      FENCED->DIRECT at 2026-11-25T11:00:00Z (fence consumed)  -
                br0     vnf3-vnf4  vnf3,vnf4  PLUGGING  0.5s   0        0      0      -                                                        2
                """, text);
    }

    @Test
    void noLinksSaysSo() throws Exception {
        assertEquals("no direct links\n", links("{\"links\": []}"));
        assertEquals("no direct links\n", links("[]"));
    }

    @Test
    void genericResultsAreTablesAndKeyValueLines() throws Exception {
        StringWriter out = new StringWriter();
        JsonText.print(JSON.readTree("""
                {"pmds": [{"id": 0, "ports": ["vnf1"], "packets": 10}, {"id": 1, "ports": [], "packets": 0, "idle": true}],
                 "uptime_seconds": 42}"""), new PrintWriter(out));
        assertEquals("""
                pmds:
                  ID  PORTS  PACKETS  IDLE
                  0   vnf1   10       -
                  1          0        true
                uptime_seconds: 42
                """, out.toString());
    }
}
