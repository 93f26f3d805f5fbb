package io.shunt.ctl.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The text of {@code shunt-ctl links} for results in the shape the links
 * contract gives vswitchd's {@code links} method (contract-links.md section 4):
 * the columns, the A⇒B / A⇔B ports, sums over directions, a row per
 * direction of a pair, ages, transitions, unknown states and errors.
 */
class LinkTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String table(String json) throws Exception {
        StringWriter out = new StringWriter();
        LinkTable.print(JSON.readTree(json), new PrintWriter(out));
        return out.toString();
    }

    @Test
    void aPairIsOneRowWithItsSumsAndARowPerDirection() throws Exception {
        assertEquals("""
                LINK                  PORTS  STATE   AGE   PACKETS  BYTES  LAST TRANSITION
                shunt-link-br0-1-2-7  p1⇔p2  DIRECT  1.2s  369      23616  FENCED->DIRECT at 2026-11-25T13:01:02.123Z (fence reached)
                  p1⇒p2                      DIRECT        123      7872
                  p2⇒p1                      FENCED        246      15744
                """, table("""
                {"links":[{"name":"shunt-link-br0-1-2-7","bridge":"br0","generation":7,
                  "pair":true,"state":"DIRECT","age_ms":1234,
                  "directions":[{"from":"p1","to":"p2","from_ofport":1,"to_ofport":2,"state":"DIRECT","packets":123,"bytes":7872},
                                {"from":"p2","to":"p1","from_ofport":2,"to_ofport":1,"state":"FENCED","packets":246,"bytes":15744}],
                  "last_transition":{"from":"FENCED","to":"DIRECT","reason":"fence reached","at":"2026-11-25T13:01:02.123Z"},
                  "error":null}]}"""));
    }

    @Test
    void oneDirectionIsOneRowAndAnErrorAddsAColumn() throws Exception {
        assertEquals("""
                LINK                  PORTS      STATE        AGE    PACKETS  BYTES  LAST TRANSITION        ERROR
                shunt-link-br0-3-4-8  vnf3⇒vnf4  RETRY_WAIT   5m03s  0        0      -                      compute agent unreachable: connection refused
                shunt-link-br0-5-6-9  vnf5⇒vnf6  TX_SWITCHED  850ms  17       1088   PLUGGING->TX_SWITCHED  -
                """,
                table("""
                {"links":[
                  {"name":"shunt-link-br0-3-4-8","bridge":"br0","generation":8,"pair":false,"state":"RETRY_WAIT","age_ms":303000,
                   "directions":[{"from":"vnf3","to":"vnf4","from_ofport":3,"to_ofport":4,"state":"NORMAL","packets":0,"bytes":0}],
                   "last_transition":null,"error":"compute agent unreachable: connection refused"},
                  {"name":"shunt-link-br0-5-6-9","bridge":"br0","generation":9,"pair":false,"state":"TX_SWITCHED","age_ms":850,
                   "directions":[{"from":"vnf5","to":"vnf6","from_ofport":5,"to_ofport":6,"state":"TX_SWITCHED","packets":17,"bytes":1088}],
                   "last_transition":{"from":"PLUGGING","to":"TX_SWITCHED"},"error":null}]}"""));
    }

    /** As vswitchd's link manager lists a link waiting to plug again: no directions, generation 0. */
    @Test
    void aLinkWithoutDirectionsIsNamedFromItsNameAndAReasonRepeatingTheErrorIsLeftOut() throws Exception {
        String json = """
                {"links":[{"name":"shunt-link-br-0.a-1-2-4","bridge":"br-0.a","generation":0,"pair":true,"state":"RETRY_WAIT",
                  "age_ms":15,"directions":[],
                  "last_transition":{"from":"PLUGGING","to":"RETRY_WAIT","at":"2026-11-25T13:15:21.915Z",
                    "reason":"plug into the VNF of port l2 failed: no compute agent configured; the path stays on the switch, retry in 250 ms"},
                  "error":"plug into the VNF of port l2 failed: no compute agent configured"}]}""";
        String error = "plug into the VNF of port l2 failed: no compute agent configured";
        assertEquals("""
                LINK                     PORTS  STATE       AGE   PACKETS  BYTES  LAST TRANSITION                                   ERROR
                shunt-link-br-0.a-1-2-4  1⇔2    RETRY_WAIT  15ms  0        0      PLUGGING->RETRY_WAIT at 2026-11-25T13:15:21.915Z  %s
                """.formatted(error), table(json));
        StringWriter out = new StringWriter();
        LinkTable.print(JSON.readTree(json), (bridge, ofport) -> bridge.equals("br-0.a") ? "l" + ofport : null, new PrintWriter(out));
        assertEquals("""
                LINK                     PORTS  STATE       AGE   PACKETS  BYTES  LAST TRANSITION                                   ERROR
                shunt-link-br-0.a-1-2-4  l1⇔l2  RETRY_WAIT  15ms  0        0      PLUGGING->RETRY_WAIT at 2026-11-25T13:15:21.915Z  %s
                """.formatted(error), out.toString());
        assertEquals(true, LinkTable.needsPortNames(JSON.readTree(json)));
    }

    @Test
    void noLinksIsTheHeaderAlone() throws Exception {
        String header = "LINK  PORTS  STATE  AGE  PACKETS  BYTES  LAST TRANSITION\n";
        assertEquals(header, table("{\"links\":[]}"));
        assertEquals(header, table("[]"));
    }

    @Test
    void agesReadAsPeopleReadThem() throws Exception {
        assertEquals("0ms", LinkTable.age(JSON.readTree("0")));
        assertEquals("999ms", LinkTable.age(JSON.readTree("999")));
        assertEquals("59.9s", LinkTable.age(JSON.readTree("59949")));
        assertEquals("1m00s", LinkTable.age(JSON.readTree("60000")));
        assertEquals("2h01m", LinkTable.age(JSON.readTree("7260000")));
        assertEquals("3d04h", LinkTable.age(JSON.readTree(Long.toString((3 * 86_400 + 4 * 3600) * 1000L))));
        assertEquals("-", LinkTable.age(JSON.readTree("null")));
    }
}
