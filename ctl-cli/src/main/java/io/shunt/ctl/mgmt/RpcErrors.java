package io.shunt.ctl.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.ExitCode;

/**
 * Turns a JSON-RPC error object from vswitchd into the exit code and line a
 * user sees. Negative codes are JSON-RPC's own; positive ones are vswitchd's
 * refusals (ConfigError.Kind: 1 no such bridge, 2 bridge exists, 3 no such
 * port, 4 port exists, 5 invalid argument, 6 store failed, 7 bridge in use, and any added
 * later), all of which mean "nothing was changed".
 */
public final class RpcErrors {

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;

    private RpcErrors() {
    }

    static CtlFailure toFailure(String method, JsonNode error) {
        int code = error.path("code").asInt(0);
        String message = error.path("message").asText("(no message)");
        return switch (code) {
            case METHOD_NOT_FOUND -> new CtlFailure(ExitCode.UNSUPPORTED,
                    "vswitchd does not support method " + method + " (too old?)");
            case INVALID_PARAMS -> new CtlFailure(ExitCode.REFUSED, "vswitchd refused " + method + ": " + message);
            case PARSE_ERROR, INVALID_REQUEST, INTERNAL_ERROR -> new CtlFailure(ExitCode.PROTOCOL_ERROR,
                    "vswitchd failed on " + method + ": " + message + " (JSON-RPC error " + code + ")");
            default -> code > 0
                    ? new CtlFailure(ExitCode.REFUSED, message)
                    : new CtlFailure(ExitCode.PROTOCOL_ERROR, "vswitchd failed on " + method + ": " + message
                            + " (JSON-RPC error " + code + ")");
        };
    }
}
