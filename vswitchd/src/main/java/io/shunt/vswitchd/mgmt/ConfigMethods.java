package io.shunt.vswitchd.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.shunt.vswitchd.config.BridgeConfig;
import io.shunt.vswitchd.config.ConfigDatabase;
import io.shunt.vswitchd.config.ConfigError;
import io.shunt.vswitchd.config.FailMode;
import io.shunt.vswitchd.config.PmdConfig;
import io.shunt.vswitchd.config.PortConfig;
import io.shunt.vswitchd.config.PortType;

/**
 * The configuration commands of the management socket, named and shaped
 * after {@code ovs-vsctl}'s: {@code add-br} (optionally with its
 * {@code trust-domain}), {@code del-br}, {@code list-br},
 * {@code add-port}, {@code del-port}, {@code list-ports},
 * {@code set-controller}, {@code get-controller}, {@code del-controller},
 * {@code set-fail-mode}, {@code get-fail-mode}, {@code set-trust-domain},
 * {@code get-trust-domain}, {@code set-pmd},
 * {@code set-direct-links}, {@code show}.
 */
public final class ConfigMethods {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigDatabase db;

    public ConfigMethods(ConfigDatabase db) {
        this.db = db;
    }

    public void registerOn(ManagementServer server) {
        server.register("add-br", p -> {
            Params params = new Params(p);
            run(() -> db.addBridge(params.string("bridge"), params.flag("may-exist"),
                    params.optionalString("trust-domain")));
            return NullNode.instance;
        });
        server.register("del-br", p -> {
            Params params = new Params(p);
            run(() -> db.deleteBridge(params.string("bridge"), params.flag("if-exists")));
            return NullNode.instance;
        });
        server.register("list-br", p -> {
            ArrayNode names = JSON.createArrayNode();
            db.current().bridges().forEach(b -> names.add(b.name()));
            return names;
        });
        server.register("add-port", p -> {
            Params params = new Params(p);
            String typeName = params.optionalString("type");
            PortType type;
            try {
                type = typeName == null ? PortType.DPDKR : PortType.fromWireName(typeName);
            } catch (IllegalArgumentException e) {
                throw new RpcError(ConfigError.Kind.INVALID_ARGUMENT.code, e.getMessage());
            }
            PortConfig[] added = new PortConfig[1];
            run(() -> added[0] = db.addPort(params.string("bridge"), params.string("port"), type,
                    params.stringMap("options"), params.integer("ofport", 0)));
            return JSON.valueToTree(added[0]);
        });
        server.register("del-port", p -> {
            Params params = new Params(p);
            run(() -> db.deletePort(params.optionalString("bridge"), params.string("port")));
            return NullNode.instance;
        });
        server.register("list-ports", p -> {
            Params params = new Params(p);
            BridgeConfig bridge = bridge(params.string("bridge"));
            ArrayNode names = JSON.createArrayNode();
            bridge.ports().forEach(port -> names.add(port.name()));
            return names;
        });
        server.register("set-controller", p -> {
            Params params = new Params(p);
            run(() -> db.setControllers(params.string("bridge"), params.strings("targets")));
            return NullNode.instance;
        });
        server.register("get-controller", p -> JSON.valueToTree(bridge(new Params(p).string("bridge")).controllers()));
        server.register("del-controller", p -> {
            Params params = new Params(p);
            run(() -> db.setControllers(params.string("bridge"), java.util.List.of()));
            return NullNode.instance;
        });
        server.register("set-fail-mode", p -> {
            Params params = new Params(p);
            FailMode mode;
            try {
                mode = FailMode.fromWireName(params.string("mode"));
            } catch (IllegalArgumentException e) {
                throw new RpcError(ConfigError.Kind.INVALID_ARGUMENT.code, e.getMessage());
            }
            run(() -> db.setFailMode(params.string("bridge"), mode));
            return NullNode.instance;
        });
        server.register("get-fail-mode", p -> JSON.valueToTree(bridge(new Params(p).string("bridge")).failMode()));
        server.register("set-trust-domain", p -> {
            Params params = new Params(p);
            run(() -> db.setTrustDomain(params.string("bridge"), params.string("domain")));
            return NullNode.instance;
        });
        server.register("get-trust-domain",
                p -> JSON.valueToTree(bridge(new Params(p).string("bridge")).trustDomain()));
        server.register("set-pmd", p -> {
            Params params = new Params(p);
            PmdConfig now = db.current().pmd();
            PmdConfig next;
            try {
                next = new PmdConfig(params.integer("threads", now.threads()), params.integer("burst", now.burst()),
                        params.integer("spin-polls", now.spinPolls()), params.integer("yield-polls", now.yieldPolls()),
                        params.integer("park-micros", now.parkMicros()));
            } catch (IllegalArgumentException e) {
                throw new RpcError(ConfigError.Kind.INVALID_ARGUMENT.code, e.getMessage());
            }
            run(() -> db.setPmd(next));
            return JSON.valueToTree(next);
        });
        server.register("set-direct-links", p -> {
            Params params = new Params(p);
            String port = params.optionalString("port");
            boolean enabled = params.flag("enabled");
            run(() -> {
                if (port == null) {
                    db.setDirectLinks(enabled);
                } else {
                    db.setPortDirectLinks(port, enabled);
                }
            });
            return NullNode.instance;
        });
        server.register("show", p -> JSON.valueToTree(db.current()));
    }

    private BridgeConfig bridge(String name) throws RpcError {
        return db.current().bridge(name).orElseThrow(
                () -> new RpcError(ConfigError.Kind.NO_SUCH_BRIDGE.code, "no bridge named " + name));
    }

    @FunctionalInterface
    private interface Change {
        void apply() throws ConfigError, RpcError;
    }

    private static void run(Change change) throws RpcError {
        try {
            change.apply();
        } catch (ConfigError e) {
            throw new RpcError(e.kind().code, e.getMessage());
        }
    }

}
