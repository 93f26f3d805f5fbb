package io.shunt.ofproto.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** OVS-style connection targets: what parses, how it prints back, and what is refused with a clear message. */
class ChannelTargetTest {

    @Test
    void parsesTheThreeMethods() {
        assertEquals(new ChannelTarget.ActiveTcp("10.0.0.1", 6653), ChannelTarget.parse("tcp:10.0.0.1:6653"));
        assertEquals(new ChannelTarget.ActiveTcp("::1", 6653), ChannelTarget.parse("tcp:[::1]:6653"));
        assertEquals(new ChannelTarget.PassiveTcp(0, "127.0.0.1"), ChannelTarget.parse("ptcp:0:127.0.0.1"));
        assertEquals(new ChannelTarget.PassiveTcp(6653, "0.0.0.0"), ChannelTarget.parse("ptcp:6653"));
        assertEquals(new ChannelTarget.PassiveUnix(Path.of("/run/shunt/br0.mgmt")), ChannelTarget.parse("punix:/run/shunt/br0.mgmt"));
    }

    @Test
    void printsBackInTheSameSyntax() {
        for (String t : new String[] {"tcp:10.0.0.1:6653", "tcp:[::1]:6653", "ptcp:6653", "ptcp:0:127.0.0.1", "ptcp:6653:[::1]", "punix:/tmp/a.mgmt"}) {
            assertEquals(t, ChannelTarget.parse(t).text());
        }
    }

    @Test
    void refusesMalformedTargetsNamingTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChannelTarget.parse("ssl:1.2.3.4:6653"))
                .getMessage().contains("unknown method 'ssl'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChannelTarget.parse("tcp:1.2.3.4"))
                .getMessage().contains("expected tcp:HOST:PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChannelTarget.parse("tcp:h:0"))
                .getMessage().contains("out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChannelTarget.parse("ptcp:http"))
                .getMessage().contains("not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChannelTarget.parse("6653"))
                .getMessage().contains("missing method prefix"));
    }
}
