package io.shunt.vswitchd.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The compute agent's REST API (contract §3): {@code PUT}/{@code DELETE
 * /v1/ports/{port}/devices/{device}} with a bearer token. Asynchronous, so that a slow
 * agent never holds the bridge's control thread; every failure names the request, the
 * HTTP status and the agent's {@code error} sentence.
 */
public final class RestDeviceAgent implements DeviceAgent {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An agent that does not answer within this is treated as failed (the link is retried later). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final URI base;
    private final Path tokenFile;
    private final HttpClient http;

    public RestDeviceAgent(URI base, Path tokenFile) {
        this.base = base;
        this.tokenFile = tokenFile;
        this.http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    }

    @Override
    public CompletableFuture<Void> plug(String port, String device, Path region) {
        ObjectNode body = JSON.createObjectNode().put("region", region.toAbsolutePath().toString());
        return send("PUT", port, device, HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    @Override
    public CompletableFuture<Void> unplug(String port, String device) {
        return send("DELETE", port, device, HttpRequest.BodyPublishers.noBody());
    }

    /** The curl line that does the same plug by hand (for logs). */
    public String curlPlug(String port, String device, Path region) {
        return "curl -X PUT -H \"Authorization: Bearer $(cat " + tokenFile + ")\" -H 'Content-Type: application/json'"
                + " -d '{\"region\":\"" + region.toAbsolutePath() + "\"}' " + uri(port, device);
    }

    private URI uri(String port, String device) {
        return base.resolve("/v1/ports/" + URLEncoder.encode(port, StandardCharsets.UTF_8) + "/devices/"
                + URLEncoder.encode(device, StandardCharsets.UTF_8));
    }

    private CompletableFuture<Void> send(String method, String port, String device, HttpRequest.BodyPublisher body) {
        String what = method + " " + uri(port, device);
        String token;
        try {
            token = Files.readString(tokenFile).strip();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new AgentException(what + ": cannot read the agent token file "
                    + tokenFile + ": " + e.getMessage(), e));
        }
        HttpRequest request = HttpRequest.newBuilder(uri(port, device)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            if (failure != null) {
                throw new AgentException(what + ": the compute agent at " + base + " did not answer: "
                        + failure.getMessage(), failure);
            }
            if (response.statusCode() / 100 != 2) {
                throw new AgentException(what + ": HTTP " + response.statusCode() + ": " + errorOf(response.body()));
            }
            return null;
        });
    }

    private static String errorOf(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("error")) {
                return n.get("error").asText();
            }
        } catch (IOException e) {
            // fall through: show the raw body
        }
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    @Override
    public String describe() {
        return "compute agent " + base;
    }
}
