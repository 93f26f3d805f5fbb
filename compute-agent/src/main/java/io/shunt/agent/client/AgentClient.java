package io.shunt.agent.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Client of the compute agent's REST API (docs/compute-agent.md), as vswitchd's link manager
 * uses it: {@link #plug} and {@link #unplug} a link region for a port, list {@link #ports}
 * and {@link #devices}. Every call is synchronous, bounded by the timeout given at
 * construction, and either returns the agent's answer or throws the {@link AgentException}
 * subclass for it. Thread-safe; one instance per agent.
 */
public final class AgentClient {
    /** A plug writes one symlink (process) or hot-plugs one PCI device (libvirt: 10-60 ms measured). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final URI baseUrl;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param baseUrl {@code http://HOST:PORT} of the agent (a trailing '/' is ignored)
     * @param token   the agent's bearer token
     * @param timeout bound of the connect and of each whole request
     */
    public AgentClient(URI baseUrl, String token, Duration timeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (!"http".equals(baseUrl.getScheme()) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("agent URL must be http://HOST:PORT, not '" + baseUrl + "'");
        }
        String text = baseUrl.toString();
        this.baseUrl = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.token = Objects.requireNonNull(token, "token").strip();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        // HTTP/1.1: the agent speaks nothing else, and the default (HTTP/2) would add an h2c
        // upgrade offer to every request on a new connection.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A client whose token is read from {@code tokenFile} (the agent's {@code --token-file}). */
    public static AgentClient withTokenFile(URI baseUrl, Path tokenFile, Duration timeout) throws IOException {
        String token = java.nio.file.Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
        if (token.isEmpty()) {
            throw new IOException("agent token file " + tokenFile + " is empty");
        }
        return new AgentClient(baseUrl, token, timeout);
    }

    /**
     * Plugs the link region {@code region} (an absolute path) into the VNF that owns
     * {@code port}, as device {@code device} (the link region name). Repeating a plug is
     * harmless.
     */
    public AgentWire.Plugged plug(String port, String device, Path region) throws AgentException {
        String path = devicePath(port, device);
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(new AgentWire.PlugRequest(region.toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a plug request", e);
        }
        return send("PUT " + path, HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)), AgentWire.Plugged.class);
    }

    /** Removes device {@code device} from the VNF that owns {@code port}. */
    public AgentWire.Unplugged unplug(String port, String device) throws AgentException {
        String path = devicePath(port, device);
        return send("DELETE " + path, HttpRequest.newBuilder(uri(path)).DELETE(), AgentWire.Unplugged.class);
    }

    /** Every port owned by a live VNF, with its VNF and driver. */
    public List<AgentWire.Port> ports() throws AgentException {
        return send("GET /v1/ports", HttpRequest.newBuilder(uri("/v1/ports")).GET(), AgentWire.Ports.class).ports();
    }

    /** Every device plugged into a live VNF. */
    public List<AgentWire.Device> devices() throws AgentException {
        return send("GET /v1/devices", HttpRequest.newBuilder(uri("/v1/devices")).GET(), AgentWire.Devices.class)
                .devices();
    }

    /** The agent's health and drivers (needs no token). */
    public AgentWire.Health health() throws AgentException {
        return send("GET /v1/health", HttpRequest.newBuilder(uri("/v1/health")).GET(), AgentWire.Health.class);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * The shell command that makes the same plug by hand with curl, for the log line vswitchd
     * writes when no agent answers (contract-links.md section 4).
     */
    public static String plugCommand(URI baseUrl, Path tokenFile, String port, String device, Path region) {
        String url = baseUrl.toString().replaceAll("/+$", "") + devicePath(port, device);
        return "curl -sS -X PUT -H \"Authorization: Bearer $(cat " + shellQuote(tokenFile.toString()) + ")\""
                + " -H 'Content-Type: application/json' -d " + shellQuote("{\"region\":\"" + region + "\"}")
                + " " + shellQuote(url);
    }

    private <T> T send(String request, HttpRequest.Builder builder, Class<T> type) throws AgentException {
        HttpRequest httpRequest = builder.timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new AgentException.Unreachable(request, "no answer from " + baseUrl + " within " + timeout, e);
        } catch (ConnectException e) {
            throw new AgentException.Unreachable(request, "cannot connect to " + baseUrl + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new AgentException.Unreachable(request, "request to " + baseUrl + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException.Unreachable(request, "interrupted while waiting for " + baseUrl, e);
        }
        int status = response.statusCode();
        byte[] body = response.body();
        if (status == 200) {
            try {
                return JSON.readValue(body, type);
            } catch (IOException e) {
                throw new AgentException.Protocol(request, status, "answer is not the expected JSON ("
                        + type.getSimpleName() + "): " + e.getMessage());
            }
        }
        String message = errorMessage(body);
        throw switch (status) {
            case 400 -> new AgentException.BadRequest(request, message);
            case 401 -> new AgentException.Unauthorized(request, message);
            case 404 -> new AgentException.NotFound(request, message);
            case 409 -> new AgentException.Conflict(request, message);
            default -> status >= 500 && status <= 599
                    ? new AgentException.DriverFailure(request, status, message)
                    : new AgentException.Protocol(request, status, message);
        };
    }

    private static String errorMessage(byte[] body) {
        try {
            AgentWire.Error error = JSON.readValue(body, AgentWire.Error.class);
            if (error.error() != null) {
                return error.error();
            }
        } catch (IOException e) {
            // not an agent error body: show what came instead
        }
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "(empty body)" : "unexpected body: " + text;
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static String devicePath(String port, String device) {
        return "/v1/ports/" + segment(port) + "/devices/" + segment(device);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
