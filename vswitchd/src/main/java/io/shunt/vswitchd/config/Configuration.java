package io.shunt.vswitchd.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole persisted configuration of one shunt-vswitchd: bridges (with
 * their ports and controllers), PMD settings and the switch-wide direct-link
 * switch. Immutable: every change makes a new one, which the
 * {@link ConfigStore} writes before anybody acts on it.
 *
 * <p>Flows are not part of it: as in Open vSwitch, controllers push them
 * again after a restart.
 */
public record Configuration(int schemaVersion, List<BridgeConfig> bridges, PmdConfig pmd, boolean directLinks) {

    /** The layout of this record as JSON; bumped on incompatible change. */
    public static final int SCHEMA_VERSION = 1;

    public Configuration {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("configuration schema version " + schemaVersion
                    + " is not the one this shunt understands (" + SCHEMA_VERSION + ")");
        }
        bridges = List.copyOf(bridges == null ? List.of() : bridges);
        Objects.requireNonNull(pmd, "pmd settings");
        List<String> seen = new ArrayList<>();
        for (BridgeConfig bridge : bridges) {
            if (seen.contains(bridge.name())) {
                throw new IllegalArgumentException("bridge " + bridge.name() + " appears twice");
            }
            seen.add(bridge.name());
        }
    }

    /** What a vswitchd with no configuration at all runs: one bridge br0, standalone. */
    public static Configuration defaults() {
        return new Configuration(SCHEMA_VERSION, List.of(BridgeConfig.create("br0")), PmdConfig.DEFAULT, true);
    }

    public Optional<BridgeConfig> bridge(String name) {
        return bridges.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /** The bridge holding a port of this name, if any (port names are switch-wide). */
    public Optional<BridgeConfig> bridgeOfPort(String portName) {
        return bridges.stream().filter(b -> b.port(portName).isPresent()).findFirst();
    }

    public Configuration withBridge(BridgeConfig bridge) {
        List<BridgeConfig> next = new ArrayList<>(bridges);
        int at = -1;
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).name().equals(bridge.name())) {
                at = i;
            }
        }
        if (at >= 0) {
            next.set(at, bridge);
        } else {
            next.add(bridge);
        }
        return new Configuration(schemaVersion, next, pmd, directLinks);
    }

    public Configuration withoutBridge(String name) {
        List<BridgeConfig> next = new ArrayList<>(bridges);
        next.removeIf(b -> b.name().equals(name));
        return new Configuration(schemaVersion, next, pmd, directLinks);
    }

    public Configuration withPmd(PmdConfig settings) {
        return new Configuration(schemaVersion, bridges, settings, directLinks);
    }

    public Configuration withDirectLinks(boolean enabled) {
        return new Configuration(schemaVersion, bridges, pmd, enabled);
    }
}
