package io.shunt.ctl.mgmt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.ExitCode;
import io.shunt.ctl.transport.UnixStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The client side of vswitchd's management socket: JSON-RPC 2.0, one JSON
 * object per line, answers in request order (see vswitchd's
 * ManagementServer). Errors come back as {@link CtlFailure}s whose exit code
 * is chosen by {@link RpcErrors}.
 */
public final class ManagementClient implements AutoCloseable {

    /** The socket's name inside the run directory. */
    public static final String SOCKET_NAME = "shunt.ctl";

    /** An answer longer than this is not one vswitchd would send. */
    private static final int MAX_RESPONSE_BYTES = 64 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnixStream stream;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private long nextId = 1;

    private ManagementClient(UnixStream stream) {
        this.stream = stream;
        in.flip();
    }

    public static ManagementClient connect(Path runDir, Duration timeout) throws CtlFailure {
        Path socket = runDir.resolve(SOCKET_NAME);
        return new ManagementClient(UnixStream.connect(socket, "vswitchd", timeout,
                "is shunt-vswitchd running? its run directory is set by --run-dir or SHUNT_RUN_DIR"));
    }

    /** Calls {@code method} with named {@code params} and returns its result. */
    public JsonNode call(String method, ObjectNode params) throws CtlFailure {
        long id = nextId++;
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("method", method);
        request.set("params", params == null ? JSON.createObjectNode() : params);
        request.put("id", id);
        byte[] line;
        try {
            line = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a request to " + method, e);
        }
        stream.writeFully(ByteBuffer.wrap(line));

        JsonNode response = readResponse(method);
        if (response.path("id").asLong(-1) != id) {
            throw new CtlFailure(ExitCode.PROTOCOL_ERROR, "vswitchd answered request " + id + " (" + method
                    + ") with the answer to request " + response.path("id"));
        }
        JsonNode error = response.get("error");
        if (error != null && !error.isNull()) {
            throw RpcErrors.toFailure(method, error);
        }
        if (!response.has("result")) {
            throw new CtlFailure(ExitCode.PROTOCOL_ERROR, "vswitchd's answer to " + method + " has neither result nor error");
        }
        return response.get("result");
    }

    private JsonNode readResponse(String method) throws CtlFailure {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    try {
                        return JSON.readTree(line.toByteArray());
                    } catch (JsonProcessingException e) {
                        throw new CtlFailure(ExitCode.PROTOCOL_ERROR, "vswitchd's answer to " + method + " is not JSON: "
                                + e.getOriginalMessage());
                    } catch (java.io.IOException e) {
                        throw new CtlFailure(ExitCode.PROTOCOL_ERROR, "vswitchd's answer to " + method + " is not JSON: "
                                + e.getMessage());
                    }
                }
                line.write(b);
                if (line.size() > MAX_RESPONSE_BYTES) {
                    throw new CtlFailure(ExitCode.PROTOCOL_ERROR, "vswitchd's answer to " + method + " is longer than "
                            + MAX_RESPONSE_BYTES + " bytes");
                }
            }
            in.clear();
            int n = stream.read(in);
            in.flip();
            if (n < 0) {
                throw new CtlFailure(ExitCode.UNREACHABLE, "vswitchd closed the management connection before answering "
                        + method);
            }
        }
    }

    @Override
    public void close() {
        stream.close();
    }
}
