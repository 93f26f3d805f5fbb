package io.shunt.agent.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.shunt.agent.PortDeviceService;
import io.shunt.agent.client.AgentClient;
import io.shunt.agent.client.AgentException;
import io.shunt.agent.driver.ProcessDriver;
import io.shunt.agent.http.AgentHttpServer;
import io.shunt.agent.http.BearerToken;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.ivshmem.LinkRegions;
import io.shunt.ivshmem.ProcessDeviceDirectory;
import io.shunt.ivshmem.ProcessVnf;
import io.shunt.ivshmem.ShellVnf;
import io.shunt.ivshmem.TestRegions;

/**
 * The agent's share of establishing a direct link for a process VNF: one plug and its
 * unplug through {@link AgentClient} over loopback HTTP to the agent's server (token check,
 * link and port regions attached and checked, owner looked up in the process device
 * directory, entry written), against two anchors measured in the same run: {@code health},
 * an authenticated-free HTTP round trip that does no work (what HTTP itself costs), and
 * {@code entryOnly}, the same plug and unplug of the device entry without HTTP or checks
 * (what the file system costs). The VNF is a real registered process; regions live in
 * {@code /dev/shm}. Sample mode: the JSON holds p50/p99 per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dsun.net.httpserver.nodelay=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AgentPlugBenchmark {
    private Path dir;
    private PacketPool pool;
    private ShellVnf vnf;
    private AgentHttpServer server;
    private PortDeviceService service;
    private AgentClient client;
    private ProcessDeviceDirectory directory;
    private ProcessVnf owner;
    private Path link;
    private String device;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory(RegionOptions.DEV_SHM, "shunt-agent-bench-");
        pool = TestRegions.pool(dir, "shunt-pool-br0");
        Path port = TestRegions.port(dir, "p1", 1, pool);
        try (LinkRegion region = new LinkRegions(RegionOptions.in(dir)).create("br0", 1, 2, 2, 1024, pool)) {
            link = region.region().file();
        }
        device = link.getFileName().toString();
        Path root = Files.createDirectories(ProcessDeviceDirectory.defaultRoot(dir));
        vnf = ShellVnf.start(root, Map.of("p1", port));
        directory = new ProcessDeviceDirectory(root);
        owner = directory.owner("p1").orElseThrow();
        service = new PortDeviceService(List.of(new ProcessDriver(directory, Duration.ofSeconds(1))), dir);
        server = AgentHttpServer.start(new InetSocketAddress("127.0.0.1", 0), new BearerToken("bench-token"), service,
                AgentHttpServer.DEFAULT_MAX_BODY_BYTES);
        client = new AgentClient(URI.create("http://127.0.0.1:" + server.address().getPort()), "bench-token",
                Duration.ofSeconds(10));
    }

    @TearDown
    public void tearDown() throws Exception {
        server.close();
        service.close();
        vnf.close();
        pool.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Benchmark
    public Object health() throws AgentException {
        return client.health();
    }

    @Benchmark
    public Object plugAndUnplug() throws AgentException {
        client.plug("p1", device, link);
        return client.unplug("p1", device);
    }

    @Benchmark
    public boolean entryOnly() throws IOException {
        directory.plug(owner, device, link);
        return directory.unplug(owner, device);
    }
}
