package io.shunt.datapath.hostport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's view of interfaces, through ioctls on this namespace (read only). */
class InterfaceQueryTest {

    @Test
    void loopbackIsIfindexOneUpWithItsMtu() throws Exception {
        try (InterfaceQuery q = new InterfaceQuery()) {
            InterfaceState lo = q.query("lo");
            assertEquals(1, lo.ifindex(), lo.toString());
            assertTrue(lo.mtu() >= 1500, lo.toString());
            assertEquals(0, lo.mac(), lo.toString());
        }
    }

    @Test
    void aMissingInterfaceIsNullNotAnError() throws Exception {
        try (InterfaceQuery q = new InterfaceQuery()) {
            assertNull(q.query("shunt-nosuch0"));
        }
    }

    @Test
    void namesTheKernelCannotHoldAreRefusedWithTheRule() {
        for (String bad : new String[] {"", "a/b", "has space", "sixteen-chars-xx"}) {
            HostPortException e = assertThrows(HostPortException.class, () -> InterfaceQuery.checkName(bad));
            assertTrue(e.getMessage().contains("1..15 bytes"), e.getMessage());
        }
    }
}
