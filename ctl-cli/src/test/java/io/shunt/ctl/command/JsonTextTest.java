package io.shunt.ctl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The generic text layout of read results (pmd-stats, counters): tables for arrays of objects, key: value lines. */
class JsonTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

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
