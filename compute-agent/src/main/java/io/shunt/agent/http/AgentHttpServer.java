package io.shunt.agent.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import io.shunt.agent.PortDeviceService;

/**
 * The agent's HTTP listener: the JDK's server (module {@code jdk.httpserver}) on a small
 * fixed pool of daemon threads. Requests are few (a plug or two per direct link) and every
 * one does file-system work, so a handful of threads is plenty and bounds what a flood of
 * requests can take from a 2-core host.
 */
public final class AgentHttpServer implements AutoCloseable {
    /** Largest request body accepted: a plug body is one path. */
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;
    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;

    private AgentHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code address} (port 0: an ephemeral port) and starts serving. */
    public static AgentHttpServer start(InetSocketAddress address, BearerToken token, PortDeviceService service,
                                        int maxBodyBytes) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread thread = new Thread(r, "agent-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", new AgentApi(service, token, maxBodyBytes));
        server.setExecutor(executor);
        server.start();
        return new AgentHttpServer(server, executor);
    }

    /** The bound address (with the real port when port 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops accepting, lets requests in progress finish for up to a second, then stops. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
