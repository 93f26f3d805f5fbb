package io.shunt.ivshmem;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

import io.shunt.datapath.region.RegionHeaderLayout;

/**
 * The name of a link region, {@code shunt-link-<bridge>-<ofportA>-<ofportB>-<generation>}
 * (contract-links.md section 2): the region file is {@code <region directory>/<name>}, the
 * device entry of a process VNF is {@code devices/<name>}, and the libvirt
 * {@code <shmem name=...>} is the same string, so one name follows the link everywhere.
 *
 * <p>A is the producer of direction 0 (for a pair, the lower ofport). The bridge name may
 * itself contain '-': the three numeric fields are parsed from the right.
 *
 * @param bridge     bridge the link belongs to: 1 or more of {@code [A-Za-z0-9_.:-]}
 * @param portA      ofport of A, {@code >= 1}
 * @param portB      ofport of B, {@code >= 1}, not A
 * @param generation link generation, {@code >= 1}
 */
public record LinkName(String bridge, int portA, int portB, long generation) {
    /** Prefix of every link region name. */
    public static final String PREFIX = "shunt-link-";

    public LinkName {
        Objects.requireNonNull(bridge, "bridge");
        if (bridge.isEmpty() || !bridge.chars().allMatch(LinkName::isBridgeChar)) {
            throw new IllegalArgumentException("link name: bridge '" + bridge
                    + "' must be 1 or more of [A-Za-z0-9_.:-]");
        }
        if (portA < 1 || portB < 1 || portA == portB) {
            throw new IllegalArgumentException("link name: ports " + portA + " and " + portB
                    + " must be two different ofports >= 1");
        }
        if (generation < 1) {
            throw new IllegalArgumentException("link name: generation " + generation + " must be >= 1");
        }
        String name = format(bridge, portA, portB, generation);
        if (name.getBytes(StandardCharsets.UTF_8).length > RegionHeaderLayout.NAME_LENGTH) {
            throw new IllegalArgumentException("link name '" + name + "' is longer than the "
                    + RegionHeaderLayout.NAME_LENGTH + " bytes a region header holds (shorten the bridge name)");
        }
    }

    /** The region name, e.g. {@code shunt-link-br0-1-2-7}. */
    public String regionName() {
        return format(bridge, portA, portB, generation);
    }

    /** The link name in {@code name}, if it is one (no exception for foreign file names). */
    public static Optional<LinkName> parse(String name) {
        if (name == null || !name.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = name.substring(PREFIX.length());
        int g = rest.lastIndexOf('-');
        int b = g > 0 ? rest.lastIndexOf('-', g - 1) : -1;
        int a = b > 0 ? rest.lastIndexOf('-', b - 1) : -1;
        if (a <= 0) {
            return Optional.empty();
        }
        try {
            long generation = parseDecimal(rest.substring(g + 1));
            long portB = parseDecimal(rest.substring(b + 1, g));
            long portA = parseDecimal(rest.substring(a + 1, b));
            if (portA > Integer.MAX_VALUE || portB > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            LinkName parsed = new LinkName(rest.substring(0, a), (int) portA, (int) portB, generation);
            // Only the canonical spelling (no leading zeros) names a link: one link, one name.
            return parsed.regionName().equals(name) ? Optional.of(parsed) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static long parseDecimal(String field) {
        if (field.isEmpty() || field.length() > 18 || !field.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a decimal field: '" + field + "'");
        }
        return Long.parseLong(field);
    }

    private static String format(String bridge, int portA, int portB, long generation) {
        return PREFIX + bridge + '-' + portA + '-' + portB + '-' + generation;
    }

    private static boolean isBridgeChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == ':' || c == '-';
    }

    @Override
    public String toString() {
        return regionName();
    }
}
