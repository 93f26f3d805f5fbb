package io.shunt.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import io.shunt.agent.ApiException;
import io.shunt.agent.PortDeviceService;
import io.shunt.agent.client.AgentWire;

/**
 * Routes the REST API (docs/compute-agent.md) to {@link PortDeviceService}: checks the token
 * (every path but {@code GET /v1/health}), the method (405 with {@code Allow}), the body size
 * (413) and the JSON (400), and answers every error as {@code {"error":"..."}}.
 */
final class AgentApi implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AgentApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PortDeviceService service;
    private final BearerToken token;
    private final int maxBodyBytes;

    AgentApi(PortDeviceService service, BearerToken token, int maxBodyBytes) {
        this.service = service;
        this.token = token;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Object answer;
            int status = 200;
            try {
                answer = route(exchange);
            } catch (ApiException e) {
                status = e.status();
                answer = new AgentWire.Error(e.getMessage());
                LOG.debug("{} {} -> {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        status, e.getMessage());
            } catch (RuntimeException e) {
                status = 500;
                answer = new AgentWire.Error("internal error: " + e);
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
            }
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Object route(HttpExchange exchange) throws ApiException, IOException {
        String method = exchange.getRequestMethod();
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        if (path.equals(List.of("v1", "health"))) {
            allow(exchange, method, "GET");
            return new AgentWire.Health("ok", service.driverNames());
        }
        if (!token.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"shunt-compute-agent\"");
            boolean presented = exchange.getRequestHeaders().getFirst("Authorization") != null;
            throw new ApiException(401, presented ? "wrong token" : "missing token: send 'Authorization: Bearer <token>'"
                    + " with the token of the agent's --token-file");
        }
        if (path.equals(List.of("v1", "ports"))) {
            allow(exchange, method, "GET");
            return service.ports();
        }
        if (path.equals(List.of("v1", "devices"))) {
            allow(exchange, method, "GET");
            return service.devices();
        }
        if (path.size() == 5 && path.get(0).equals("v1") && path.get(1).equals("ports")
                && path.get(3).equals("devices")) {
            allow(exchange, method, "PUT", "DELETE");
            String port = path.get(2);
            String device = path.get(4);
            if (method.equals("PUT")) {
                return service.plug(port, device, region(readBody(exchange)));
            }
            return service.unplug(port, device);
        }
        throw new ApiException(404, "no such resource: " + exchange.getRequestURI().getRawPath());
    }

    private static void allow(HttpExchange exchange, String method, String... allowed) throws ApiException {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
        throw new ApiException(405, "method " + method + " not allowed on " + exchange.getRequestURI().getRawPath()
                + " (allowed: " + String.join(", ", allowed) + ")");
    }

    private static String region(byte[] body) throws ApiException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "body cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ApiException(400, "body must be a JSON object {\"region\":\"/absolute/path\"}");
        }
        JsonNode region = root.get("region");
        if (region == null || !region.isTextual()) {
            throw new ApiException(400, "body has no \"region\" string (the absolute path of the link region file)");
        }
        return region.asText();
    }

    private byte[] readBody(HttpExchange exchange) throws ApiException, IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > maxBodyBytes) {
                    throw new ApiException(413, "body of " + length.strip() + " bytes exceeds the limit of "
                            + maxBodyBytes + " bytes");
                }
            } catch (NumberFormatException e) {
                throw new ApiException(400, "bad Content-Length '" + length + "'");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw new ApiException(413, "body exceeds the limit of " + maxBodyBytes + " bytes");
            }
            return body;
        }
    }

    /** The percent-decoded segments of {@code rawPath}; an empty segment (e.g. a trailing '/') is kept. */
    private static List<String> segments(String rawPath) throws ApiException {
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw new ApiException(404, "no such resource: " + rawPath);
        }
        String[] raw = rawPath.substring(1).split("/", -1);
        String[] decoded = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            try {
                // URLDecoder decodes form encoding; a '+' in a path is a plus, so protect it first.
                decoded[i] = URLDecoder.decode(raw[i].replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "bad percent-encoding in path segment '" + raw[i] + "'");
            }
        }
        return List.of(decoded);
    }
}
