package io.shunt.vswitchd.mgmt;

/**
 * A JSON-RPC 2.0 error. Codes below zero are the protocol's own (parse
 * error, unknown method, bad params); codes above zero are shunt's, taken
 * from {@link io.shunt.vswitchd.config.ConfigError.Kind} and friends, and are
 * what {@code shunt-ctl} turns into exit codes.
 */
public final class RpcError extends Exception {

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;

    private final int code;

    public RpcError(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
