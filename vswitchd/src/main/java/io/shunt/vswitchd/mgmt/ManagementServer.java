package io.shunt.vswitchd.mgmt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management socket of vswitchd: JSON-RPC 2.0 over a Unix stream
 * socket, one request object per line, one response line per request, in
 * order. {@code shunt-ctl} is its client; {@code socat} works too.
 *
 * <p>Each client gets a virtual thread, so a slow or stuck client holds
 * nothing but its own connection. A line longer than
 * {@link #MAX_REQUEST_BYTES} is answered with a parse error and the
 * connection is closed (there is no way to find the next request in it).
 */
public final class ManagementServer implements AutoCloseable {

    public static final int MAX_REQUEST_BYTES = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final Map<String, RpcMethod> methods = new ConcurrentHashMap<>();
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel server;
    private Thread acceptor;

    public ManagementServer(Path path) {
        this.path = path.toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    public void register(String name, RpcMethod method) {
        if (methods.putIfAbsent(name, method) != null) {
            throw new IllegalStateException("management method " + name + " registered twice");
        }
    }

    /** Binds the socket (replacing a stale one left by a crashed vswitchd) and starts accepting. */
    public synchronized void start() throws IOException {
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        acceptor = Thread.ofPlatform().name("mgmt-accept").daemon().start(this::acceptLoop);
        log.info("management socket listening on {}", path);
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("management socket {}: accept failed: {}", path, e.getMessage());
                continue;
            }
            clients.add(client);
            Thread.ofVirtual().name("mgmt-client").start(() -> serve(client));
        }
    }

    private void serve(SocketChannel client) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
             OutputStream out = Channels.newOutputStream(client)) {
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonNode response = line.length() > MAX_REQUEST_BYTES
                        ? error(null, RpcError.PARSE_ERROR, "request longer than " + MAX_REQUEST_BYTES + " bytes")
                        : dispatch(line);
                out.write(JSON.writeValueAsBytes(response));
                out.write('\n');
                out.flush();
                if (line.length() > MAX_REQUEST_BYTES) {
                    return;
                }
            }
        } catch (IOException e) {
            log.debug("management client gone: {}", e.getMessage());
        } finally {
            clients.remove(client);
        }
    }

    /** Reads one line, but never holds more than MAX_REQUEST_BYTES + 1 of it. */
    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return line.toString();
            }
            if (line.length() <= MAX_REQUEST_BYTES) {
                line.append((char) c);
            }
        }
        return line.isEmpty() ? null : line.toString();
    }

    /** Answers one request; never throws, whatever the client sent. */
    JsonNode dispatch(String line) {
        JsonNode request;
        try {
            request = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return error(null, RpcError.PARSE_ERROR, "not JSON: " + e.getOriginalMessage());
        }
        JsonNode id = request.get("id");
        if (!request.isObject() || !request.path("method").isTextual()) {
            return error(id, RpcError.INVALID_REQUEST, "expected {\"jsonrpc\":\"2.0\",\"method\":...,\"params\":{...},\"id\":...}");
        }
        String name = request.get("method").asText();
        RpcMethod method = methods.get(name);
        if (method == null) {
            return error(id, RpcError.METHOD_NOT_FOUND, "unknown method '" + name + "'");
        }
        JsonNode params = request.get("params");
        if (params != null && !params.isObject() && !params.isNull()) {
            return error(id, RpcError.INVALID_PARAMS, "params must be an object of named parameters");
        }
        try {
            ObjectNode named = params == null || params.isNull() ? JsonNodeFactory.instance.objectNode() : (ObjectNode) params;
            JsonNode result = method.call(named);
            ObjectNode response = JSON.createObjectNode();
            response.put("jsonrpc", "2.0");
            response.set("result", result);
            response.set("id", id);
            return response;
        } catch (RpcError e) {
            return error(id, e.code(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("management method {} failed", name, e);
            return error(id, RpcError.INTERNAL_ERROR, name + ": internal error: " + e);
        }
    }

    private static JsonNode error(JsonNode id, int code, String message) {
        ObjectNode response = JSON.createObjectNode();
        response.put("jsonrpc", "2.0");
        ObjectNode error = response.putObject("error");
        error.put("code", code);
        error.put("message", message);
        response.set("id", id);
        return response;
    }

    @Override
    public synchronized void close() throws IOException {
        if (server != null) {
            server.close();
            for (SocketChannel client : clients) {
                client.close();
            }
            Files.deleteIfExists(path);
        }
    }
}
