package io.shunt.ivshmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class LinkNameTest {
    @Test
    void nameFollowsTheContractFormat() {
        assertEquals("shunt-link-br0-1-2-7", new LinkName("br0", 1, 2, 7).regionName());
    }

    @Test
    void parseIsTheInverseOfFormatAlsoForBridgesWithDashes() {
        LinkName name = new LinkName("br-ext.0", 12, 3, 123456789012L);
        assertEquals(Optional.of(name), LinkName.parse(name.regionName()));
        assertEquals("br-ext.0", LinkName.parse("shunt-link-br-ext.0-12-3-123456789012").orElseThrow().bridge());
    }

    @Test
    void foreignAndNonCanonicalNamesAreNotLinks() {
        for (String name : new String[] {"shunt-port-p1", "shunt-link-br0-1-2", "shunt-link--1-2-3",
                "shunt-link-br0-01-2-7", "shunt-link-br0-1-2-07", "shunt-link-br0-1-1-3", "shunt-link-br0-0-2-3",
                "shunt-link-br0-1-2-0", "shunt-link-br0-1-x-3", "shunt-link-br/0-1-2-3", "shunt-link-br0-1-2-3.tmp",
                "shunt-link-generation", "shunt-link-br0-1-99999999999-3"}) {
            assertTrue(LinkName.parse(name).isEmpty(), name);
        }
    }

    @Test
    void namesLongerThanARegionHeaderHoldsAreRefused() {
        String bridge = "b".repeat(64 - "shunt-link--1-2-3".length());
        assertEquals(64, new LinkName(bridge, 1, 2, 3).regionName().length());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinkName(bridge + "b", 1, 2, 3));
        assertTrue(e.getMessage().contains("64 bytes"), e.getMessage());
    }
}
