package io.shunt.vswitchd.config;

import io.shunt.vswitchd.config.ConfigError.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running configuration and the only way to change it, in the spirit of
 * {@code ovs-vsctl}'s commands. Every change is validated, written through
 * the {@link ConfigStore} and only then published to the listeners, so what
 * vswitchd runs is always what a restart would restore. A change that fails
 * (bad argument, disk error) leaves everything as it was.
 */
public final class ConfigDatabase {

    /** Told of every committed change, on the thread that made it. */
    @FunctionalInterface
    public interface Listener {
        void changed(Configuration before, Configuration after);
    }

    /** Checks a port before add-port commits it (e.g. that its interface exists); throws to refuse it. */
    @FunctionalInterface
    public interface PortCheck {
        void check(String bridge, PortConfig port) throws ConfigError;
    }

    private static final Logger log = LoggerFactory.getLogger(ConfigDatabase.class);

    private final ConfigStore store;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<PortCheck> portChecks = new CopyOnWriteArrayList<>();
    private volatile Configuration current;

    public ConfigDatabase(ConfigStore store) throws ConfigException {
        this.store = store;
        this.current = store.load();
    }

    public Configuration current() {
        return current;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void addPortCheck(PortCheck check) {
        portChecks.add(check);
    }

    public synchronized void addBridge(String name, boolean mayExist) throws ConfigError {
        addBridge(name, mayExist, null);
    }

    /**
     * Adds a bridge in trust domain {@code trustDomain}, or, when it is null, in the domain of
     * its own name. A bridge joins a domain that other bridges hold only when asked to by
     * name: a new bridge whose name happens to be another bridge's domain (br1 was put in
     * domain {@code tenant-a}, then {@code add-br tenant-a}; or br0 was deleted while br3 is
     * still in domain {@code br0}, then {@code add-br br0}) would otherwise share their pool,
     * and so every buffer of their VNFs, without anyone having said so.
     */
    public synchronized void addBridge(String name, boolean mayExist, String trustDomain) throws ConfigError {
        if (current.bridge(name).isPresent()) {
            String domain = current.bridge(name).get().trustDomain();
            if (mayExist && (trustDomain == null || trustDomain.equals(domain))) {
                return;
            }
            throw new ConfigError(Kind.BRIDGE_EXISTS, "bridge " + name + " already exists"
                    + (mayExist ? ", in trust domain " + domain : ""));
        }
        if (current.bridgeOfPort(name).isPresent()) {
            throw new ConfigError(Kind.PORT_EXISTS, "a port named " + name + " already exists");
        }
        BridgeConfig bridge = valid(() -> BridgeConfig.create(name).withTrustDomain(
                trustDomain == null ? name : trustDomain));
        if (trustDomain == null) {
            List<String> holders = current.bridges().stream().filter(b -> b.trustDomain().equals(name))
                    .map(BridgeConfig::name).toList();
            if (!holders.isEmpty()) {
                throw new ConfigError(Kind.INVALID_ARGUMENT, "a bridge named " + name + " would join trust domain "
                        + name + " of " + (holders.size() == 1 ? "bridge " : "bridges ") + String.join(", ", holders)
                        + ": add it with trust_domain=" + name + " to mean it, or choose another name");
            }
        }
        commit("add-br " + name + (trustDomain == null ? "" : " trust_domain=" + trustDomain), current.withBridge(bridge));
    }

    public synchronized void deleteBridge(String name, boolean ifExists) throws ConfigError {
        if (current.bridge(name).isEmpty()) {
            if (ifExists) {
                return;
            }
            throw new ConfigError(Kind.NO_SUCH_BRIDGE, "no bridge named " + name);
        }
        commit("del-br " + name, current.withoutBridge(name));
    }

    /**
     * Adds a port and hands it the bridge's next OpenFlow port number, or
     * the number asked for ({@code ofportRequest > 0}) when it is free. A
     * port named like its bridge is the bridge's LOCAL port: it must be
     * internal and gets OFPP_LOCAL.
     */
    public synchronized PortConfig addPort(String bridgeName, String portName, PortType type,
            Map<String, String> options, int ofportRequest) throws ConfigError {
        BridgeConfig bridge = bridge(bridgeName);
        boolean local = portName.equals(bridgeName);
        if (current.bridgeOfPort(portName).isPresent() || (!local && current.bridge(portName).isPresent())) {
            String owner = current.bridgeOfPort(portName).map(BridgeConfig::name).orElse(portName);
            throw new ConfigError(Kind.PORT_EXISTS, "port " + portName + " already exists on bridge " + owner);
        }
        int ofport = bridge.nextOfport();
        if (local) {
            if (type != PortType.INTERNAL) {
                throw new ConfigError(Kind.INVALID_ARGUMENT, "port " + portName + ": a port named like its bridge is"
                        + " the bridge's LOCAL port and must be type=internal, not " + type.wireName());
            }
            if (ofportRequest > 0) {
                throw new ConfigError(Kind.INVALID_ARGUMENT, "port " + portName + ": it is bridge " + bridgeName
                        + "'s LOCAL port; ofport_request=" + ofportRequest + " cannot apply");
            }
            ofport = PortConfig.LOCAL_OFPORT;
        } else if (ofportRequest > 0) {
            boolean taken = bridge.ports().stream().anyMatch(p -> p.ofport() == ofportRequest);
            if (taken) {
                throw new ConfigError(Kind.INVALID_ARGUMENT, "OpenFlow port " + ofportRequest + " is taken on bridge " + bridgeName);
            }
            ofport = ofportRequest;
        }
        int chosen = ofport;
        PortConfig port = valid(() -> new PortConfig(portName, type, chosen, new HashMap<>(options), true));
        for (PortCheck check : portChecks) {
            check.check(bridgeName, port);
        }
        commit("add-port " + bridgeName + " " + portName, current.withBridge(bridge.withPort(port)));
        return port;
    }

    public synchronized void deletePort(String bridgeName, String portName) throws ConfigError {
        BridgeConfig bridge = bridgeName == null
                ? current.bridgeOfPort(portName).orElseThrow(() -> new ConfigError(Kind.NO_SUCH_PORT, "no port named " + portName))
                : bridge(bridgeName);
        if (bridge.port(portName).isEmpty()) {
            throw new ConfigError(Kind.NO_SUCH_PORT, "bridge " + bridge.name() + " has no port named " + portName);
        }
        commit("del-port " + bridge.name() + " " + portName, current.withBridge(bridge.withoutPort(portName)));
    }

    public synchronized void setControllers(String bridgeName, List<String> targets) throws ConfigError {
        for (String target : targets) {
            if (!target.matches("(tcp|ptcp|unix|punix):.+")) {
                throw new ConfigError(Kind.INVALID_ARGUMENT, "bad OpenFlow target '" + target
                        + "' (expected tcp:HOST:PORT, ptcp:PORT[:IP], unix:PATH or punix:PATH)");
            }
        }
        BridgeConfig bridge = bridge(bridgeName);
        commit("set-controller " + bridgeName, current.withBridge(bridge.withControllers(targets)));
    }

    public synchronized void setFailMode(String bridgeName, FailMode mode) throws ConfigError {
        BridgeConfig bridge = bridge(bridgeName);
        commit("set-fail-mode " + bridgeName + " " + mode.wireName(), current.withBridge(bridge.withFailMode(mode)));
    }

    /**
     * Puts a bridge in trust domain {@code domain} (the pool it forwards with). Only a bridge
     * without ports may change domain: a port's region, and a VNF's mapping of it, name the
     * pool, so moving ports between pools would cut every VNF off its buffers.
     */
    public synchronized void setTrustDomain(String bridgeName, String domain) throws ConfigError {
        BridgeConfig bridge = bridge(bridgeName);
        if (bridge.trustDomain().equals(domain)) {
            return;
        }
        BridgeConfig next = valid(() -> bridge.withTrustDomain(domain));
        int ports = bridge.ports().size();
        if (ports > 0) {
            throw new ConfigError(Kind.BRIDGE_IN_USE, "bridge " + bridgeName + " has " + ports
                    + (ports == 1 ? " port" : " ports") + ": delete " + (ports == 1 ? "it" : "them")
                    + " before changing its trust domain");
        }
        commit("set-trust-domain " + bridgeName + " " + domain, current.withBridge(next));
    }

    public synchronized void setPmd(PmdConfig settings) throws ConfigError {
        commit("set pmd " + settings, current.withPmd(settings));
    }

    public synchronized void setDirectLinks(boolean enabled) throws ConfigError {
        commit("set direct-links " + enabled, current.withDirectLinks(enabled));
    }

    public synchronized void setPortDirectLinks(String portName, boolean enabled) throws ConfigError {
        BridgeConfig bridge = current.bridgeOfPort(portName)
                .orElseThrow(() -> new ConfigError(Kind.NO_SUCH_PORT, "no port named " + portName));
        PortConfig port = bridge.port(portName).orElseThrow();
        commit("set port " + portName + " direct-links " + enabled,
                current.withBridge(bridge.withPort(port.withDirectLinks(enabled))));
    }

    private BridgeConfig bridge(String name) throws ConfigError {
        return current.bridge(name).orElseThrow(() -> new ConfigError(Kind.NO_SUCH_BRIDGE, "no bridge named " + name));
    }

    private void commit(String what, Configuration next) throws ConfigError {
        Configuration before = current;
        try {
            store.store(next);
        } catch (ConfigException e) {
            throw new ConfigError(Kind.STORE_FAILED, what + ": " + e.getMessage());
        }
        current = next;
        log.info("configuration: {}", what);
        for (Listener listener : listeners) {
            listener.changed(before, next);
        }
    }

    @FunctionalInterface
    private interface Construction<T> {
        T make();
    }

    /** Record constructors check their invariants; their complaints become INVALID_ARGUMENT. */
    private static <T> T valid(Construction<T> construction) throws ConfigError {
        try {
            return construction.make();
        } catch (IllegalArgumentException e) {
            throw new ConfigError(Kind.INVALID_ARGUMENT, e.getMessage());
        }
    }
}
