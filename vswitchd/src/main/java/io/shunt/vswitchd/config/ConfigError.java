package io.shunt.vswitchd.config;

/**
 * A configuration request that cannot be carried out as asked. The kind is
 * what scripts rely on: the management socket returns it as the JSON-RPC
 * error code and {@code shunt-ctl} maps it to its exit code.
 */
public final class ConfigError extends Exception {

    public enum Kind {
        NO_SUCH_BRIDGE(1),
        BRIDGE_EXISTS(2),
        NO_SUCH_PORT(3),
        PORT_EXISTS(4),
        INVALID_ARGUMENT(5),
        STORE_FAILED(6),
        /** The change needs the bridge empty first (e.g. a new trust domain while it has ports). */
        BRIDGE_IN_USE(7);

        public final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    private final Kind kind;

    public ConfigError(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
