package io.shunt.vswitchd.link;

import io.shunt.agent.client.AgentClient;
import io.shunt.agent.client.AgentWire;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compute agent (contract §3) through compute-agent's {@link AgentClient}. The client
 * is synchronous; each call runs on a virtual thread so that a slow agent never holds the
 * bridge's control thread. The token file is read at the first call (the agent creates it
 * when it starts, which may be after vswitchd).
 */
public final class RestDeviceAgent implements DeviceAgent {
    static final Duration REQUEST_TIMEOUT = AgentClient.DEFAULT_TIMEOUT;
    private static final Logger log = LoggerFactory.getLogger(RestDeviceAgent.class);

    private final URI base;
    private final Path tokenFile;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private volatile AgentClient client;

    public RestDeviceAgent(URI base, Path tokenFile) {
        this.base = base;
        this.tokenFile = tokenFile;
    }

    private AgentClient client() throws IOException {
        AgentClient c = client;
        if (c == null) {
            c = client = AgentClient.withTokenFile(base, tokenFile, REQUEST_TIMEOUT);
        }
        return c;
    }

    /**
     * Asks the agent's health once, on a virtual thread, and logs the answer: the operator
     * learns at start whether the agent answers, and the first plug does not pay for loading
     * the HTTP client and the JSON codec (1.1-1.3 s on the first plug of the VM benchmark's
     * runs under TCG). An agent not up yet is only logged; plugs try again when they come.
     */
    public void warmUp() {
        calls.execute(() -> {
            try {
                AgentWire.Health health = client().health();
                log.info("{} answers: status {}, drivers {}", describe(), health.status(), health.drivers());
            } catch (IOException | RuntimeException e) {
                log.info("{} does not answer yet ({}); direct links will be plugged once it does", describe(),
                        e.getMessage());
            }
        });
    }

    @Override
    public CompletableFuture<Void> plug(String port, String device, Path region) {
        return CompletableFuture.runAsync(() -> {
            try {
                client().plug(port, device, region.toAbsolutePath());
            } catch (IOException e) {
                throw new PlugException(e.getMessage() + "; by hand: "
                        + AgentClient.plugCommand(base, tokenFile, port, device, region.toAbsolutePath()), e);
            }
        }, calls);
    }

    @Override
    public CompletableFuture<Void> unplug(String port, String device) {
        return CompletableFuture.runAsync(() -> {
            try {
                client().unplug(port, device);
            } catch (io.shunt.agent.client.AgentException.NotFound e) {
                // Not plugged (any more), or the VNF is gone: what an unplug wants.
            } catch (IOException e) {
                throw new PlugException(e.getMessage(), e);
            }
        }, calls);
    }

    @Override
    public String describe() {
        return "compute agent " + base;
    }
}
