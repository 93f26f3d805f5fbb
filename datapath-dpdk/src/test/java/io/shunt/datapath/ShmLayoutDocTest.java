package io.shunt.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.shunt.datapath.buffer.BufferLayout;
import io.shunt.datapath.pool.PoolLayout;
import io.shunt.datapath.port.LinkRegionLayout;
import io.shunt.datapath.port.PortRegionLayout;
import io.shunt.datapath.region.RegionHeaderLayout;
import io.shunt.datapath.ring.RingLayout;

/**
 * docs/shm-layout.md mirrors the layout classes: every table row that names a constant
 * must give that constant's value as its offset, so the document cannot drift from the code.
 */
class ShmLayoutDocTest {
    private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|[^|]*\\|\\s*`(\\w+)\\.(\\w+)`");
    private static final Map<String, Class<?>> LAYOUTS = Map.of(
            "RegionHeaderLayout", RegionHeaderLayout.class,
            "RingLayout", RingLayout.class,
            "PoolLayout", PoolLayout.class,
            "BufferLayout", BufferLayout.class,
            "PortRegionLayout", PortRegionLayout.class,
            "LinkRegionLayout", LinkRegionLayout.class);

    @Test
    void everyDocumentedOffsetEqualsTheConstantItNames() throws Exception {
        Path doc = Path.of("..", "docs", "shm-layout.md");
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (String line : Files.readAllLines(doc)) {
            Matcher row = ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            Class<?> layout = LAYOUTS.get(row.group(2));
            if (layout == null) {
                mismatches.add("unknown layout class in: " + line);
                continue;
            }
            int actual = layout.getField(row.group(3)).getInt(null);
            if (actual != Integer.parseInt(row.group(1))) {
                mismatches.add(row.group(2) + "." + row.group(3) + " is " + actual + ", the document says " + row.group(1));
            }
            checked++;
        }
        assertEquals(List.of(), mismatches);
        assertTrue(checked >= 80, "only " + checked + " rows checked: has the table format changed?");
    }
}
