package io.shunt.vswitchd.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One bridge as configured: its OpenFlow datapath id, fail mode, the
 * OpenFlow targets it connects to or listens on ({@code tcp:}, {@code ptcp:},
 * as in {@code ovs-vsctl set-controller}), its ports, the next OpenFlow
 * port number to hand out, and its trust domain. Port numbers are never
 * reused while the bridge lives, so a controller never mistakes a new port
 * for an old one. The internal port named like the bridge, if any, is its
 * LOCAL port ({@link PortConfig#LOCAL_OFPORT}) and takes no number from that
 * sequence.
 *
 * <p>The trust domain names the packet pool the bridge forwards with
 * ({@code shunt-pool-<domain>}); bridges naming the same domain share one
 * pool, so a patch pair between them passes buffer indices instead of
 * copying. It defaults to the bridge's own name (a domain of one bridge),
 * which is also what a configuration written before the setting existed
 * reads as.
 */
public record BridgeConfig(
        String name,
        long datapathId,
        FailMode failMode,
        List<String> controllers,
        List<PortConfig> ports,
        int nextOfport,
        String trustDomain) {

    public BridgeConfig {
        Objects.requireNonNull(name, "bridge name");
        Objects.requireNonNull(failMode, "fail mode");
        controllers = List.copyOf(controllers == null ? List.of() : controllers);
        ports = List.copyOf(ports == null ? List.of() : ports);
        if (!ConfigNames.isValid(name)) {
            throw new IllegalArgumentException("invalid bridge name '" + name + "': " + ConfigNames.RULE);
        }
        if (trustDomain == null) {
            trustDomain = name;
        }
        if (!ConfigNames.isValid(trustDomain)) {
            throw new IllegalArgumentException("invalid trust domain name '" + trustDomain + "': " + ConfigNames.RULE);
        }
        for (PortConfig port : ports) {
            if (port.isLocal() != port.name().equals(name)) {
                throw new IllegalArgumentException("bridge " + name + ": port " + port.name()
                        + (port.isLocal() ? " is LOCAL but only the internal port named " + name + " can be"
                                : " is named like its bridge but is not its LOCAL port"));
            }
            if (!port.isLocal() && port.ofport() >= nextOfport) {
                throw new IllegalArgumentException("bridge " + name + ": port " + port.name() + " has number "
                        + port.ofport() + " but the next number to hand out is " + nextOfport);
            }
        }
    }

    /** A new bridge with no ports, fail mode standalone, a datapath id derived from its name. */
    public static BridgeConfig create(String name) {
        return new BridgeConfig(name, defaultDatapathId(name), FailMode.STANDALONE, List.of(), List.of(), 1, name);
    }

    public Optional<PortConfig> port(String portName) {
        return ports.stream().filter(p -> p.name().equals(portName)).findFirst();
    }

    public BridgeConfig withPort(PortConfig port) {
        List<PortConfig> next = new ArrayList<>(ports);
        next.removeIf(p -> p.name().equals(port.name()));
        next.add(port);
        // LOCAL takes no ordinary number.
        int after = port.isLocal() ? nextOfport : Math.max(nextOfport, port.ofport() + 1);
        return new BridgeConfig(name, datapathId, failMode, controllers, next, after, trustDomain);
    }

    public BridgeConfig withoutPort(String portName) {
        List<PortConfig> next = new ArrayList<>(ports);
        next.removeIf(p -> p.name().equals(portName));
        return new BridgeConfig(name, datapathId, failMode, controllers, next, nextOfport, trustDomain);
    }

    public BridgeConfig withControllers(List<String> targets) {
        return new BridgeConfig(name, datapathId, failMode, targets, ports, nextOfport, trustDomain);
    }

    public BridgeConfig withFailMode(FailMode mode) {
        return new BridgeConfig(name, datapathId, mode, controllers, ports, nextOfport, trustDomain);
    }

    public BridgeConfig withTrustDomain(String domain) {
        return new BridgeConfig(name, datapathId, failMode, controllers, ports, nextOfport, domain);
    }

    /**
     * A stable datapath id for a bridge name: 48 bits of a hash of the name
     * with the locally-administered bit set, as a MAC address would be; the
     * upper 16 bits stay zero as in Open vSwitch's defaults.
     */
    static long defaultDatapathId(String name) {
        long h = 0xcbf2_9ce4_8422_2325L;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x0100_0000_01b3L;
        }
        return (h & 0x0000_feff_ffff_ffffL) | 0x0000_0200_0000_0000L;
    }
}
