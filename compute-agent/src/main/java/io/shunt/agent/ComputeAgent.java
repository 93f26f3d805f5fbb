package io.shunt.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shunt.agent.driver.ComputeDriver;
import io.shunt.agent.driver.ProcessDriver;
import io.shunt.agent.http.AgentHttpServer;
import io.shunt.agent.http.BearerToken;
import io.shunt.agent.libvirt.LibvirtDriver;
import io.shunt.datapath.device.DeviceDirectoryLayout;
import io.shunt.ivshmem.ProcessDeviceDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shunt-compute-agent}: plugs link regions into the VNF that owns a port, on request of
 * vswitchd (DESIGN.md section 5, docs/compute-agent.md). Runs until SIGTERM or SIGINT.
 */
@Command(name = "shunt-compute-agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Plugs shunt link regions into the VNF that owns a port (REST API, token authentication).",
        footer = {"", "Example:",
                "  shunt-compute-agent --token-file /run/shunt/agent.token --listen 127.0.0.1:6680",
                "  curl -H \"Authorization: Bearer $(cat /run/shunt/agent.token)\" http://127.0.0.1:6680/v1/ports"})
public final class ComputeAgent implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeAgent.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:6680",
            description = "Address to listen on; port 0 picks a free port (see --port-file). Default: ${DEFAULT-VALUE}.")
    String listen;

    @Option(names = "--port-file", paramLabel = "FILE", description = "Write the bound port here (decimal + newline).")
    Path portFile;

    @Option(names = "--token-file", paramLabel = "FILE", required = true,
            description = "Bearer token file; created with a random token, mode 0600, if absent.")
    Path tokenFile;

    @Option(names = "--region-dir", paramLabel = "DIR", defaultValue = "/dev/shm",
            description = "vswitchd's region directory: plugged regions must be in it. Default: ${DEFAULT-VALUE}.")
    Path regionDirectory;

    @Option(names = "--device-root", paramLabel = "DIR",
            description = "Process device directory. Default: $SHUNT_DEVICE_ROOT if set, else <region-dir>/shunt-devices.")
    Path deviceRoot;

    @Option(names = "--watch-interval-ms", paramLabel = "MS", defaultValue = "1000",
            description = "How often the process driver looks for devices whose VNF went away. Default: ${DEFAULT-VALUE}.")
    long watchIntervalMs;

    @Option(names = "--libvirt", paramLabel = "URI",
            description = "Also serve VNFs that are libvirt domains on this connection (e.g. qemu:///system).")
    String libvirtUri;

    @Option(names = "--qemu-user", paramLabel = "USER", defaultValue = LibvirtDriver.DEFAULT_QEMU_USER,
            description = "User QEMU runs as (qemu.conf); it must be able to open a region before it is plugged."
                    + " Default: ${DEFAULT-VALUE}.")
    String qemuUser;

    @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "" + AgentHttpServer.DEFAULT_MAX_BODY_BYTES,
            description = "Largest request body accepted (413 beyond). Default: ${DEFAULT-VALUE}.")
    int maxBodyBytes;

    public static void main(String[] args) {
        // A client that trickles its request cannot hold a handler thread for long (seconds).
        System.setProperty("sun.net.httpserver.maxReqTime", "10");
        System.setProperty("sun.net.httpserver.maxRspTime", "10");
        // The server writes the headers and the body of an answer separately: with Nagle's
        // algorithm on, the body waits for the client's delayed ACK (up to 40 ms on Linux), and
        // a plug is on the path from flow-mod to direct link.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.exit(new CommandLine(new ComputeAgent()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        InetSocketAddress address;
        try {
            address = parseListen(listen);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (watchIntervalMs < 10 || maxBodyBytes < 256) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--watch-interval-ms must be >= 10 and --max-body-bytes >= 256");
        }
        Path root = DeviceDirectoryLayout.resolveRoot(deviceRoot, System.getenv(), regionDirectory);
        BearerToken token = new BearerToken(TokenFile.loadOrCreate(tokenFile));
        List<ComputeDriver> drivers = new ArrayList<>();
        drivers.add(new ProcessDriver(new ProcessDeviceDirectory(root), Duration.ofMillis(watchIntervalMs)));
        if (libvirtUri != null) {
            drivers.add(new LibvirtDriver(libvirtUri, qemuUser));
        }
        PortDeviceService service = new PortDeviceService(drivers, regionDirectory);
        AgentHttpServer server = AgentHttpServer.start(address, token, service, maxBodyBytes);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            server.close();
            service.close();
            stopped.countDown();
        }, "agent-shutdown"));
        int port = server.address().getPort();
        if (portFile != null) {
            writePortFile(portFile, port);
        }
        LOG.info("shunt-compute-agent listening on {}:{}, region directory {}, process device root {}, drivers {}",
                server.address().getHostString(), port, regionDirectory, root, service.driverNames());
        stopped.await();
        return 0;
    }

    static InetSocketAddress parseListen(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("--listen must be HOST:PORT, not '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen port must be a number 0-65535, not '" + value + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--listen port must be 0-65535, not " + port);
        }
        return new InetSocketAddress(host, port);
    }

    private static void writePortFile(Path file, int port) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, port + "\n", StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
