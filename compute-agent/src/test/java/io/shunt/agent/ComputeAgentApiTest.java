package io.shunt.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.shunt.agent.client.AgentClient;
import io.shunt.agent.client.AgentException;
import io.shunt.agent.client.AgentWire;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.ivshmem.LinkRegions;
import io.shunt.ivshmem.ProcessDeviceDirectory;
import io.shunt.ivshmem.ShellVnf;
import io.shunt.ivshmem.TestRegions;

/**
 * The REST API of docs/compute-agent.md against the real agent process, with real VNF
 * processes registered in its process device directory and real link regions.
 */
class ComputeAgentApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path regionDir;
    @TempDir
    static Path stateDir;
    static Path deviceRoot;
    static PacketPool pool;
    static LinkRegions links;
    static AgentProcess agent;
    static AgentClient client;

    final List<ShellVnf> vnfs = new ArrayList<>();

    @BeforeAll
    static void startAgent() throws Exception {
        deviceRoot = ProcessDeviceDirectory.defaultRoot(regionDir);
        Files.createDirectories(deviceRoot);
        pool = TestRegions.pool(regionDir, "shunt-pool-br0");
        links = new LinkRegions(RegionOptions.in(regionDir));
        agent = AgentProcess.start(stateDir, regionDir, deviceRoot);
        client = AgentClient.withTokenFile(agent.url(), agent.tokenFile(), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agent != null) {
            agent.close();
        }
        pool.close();
    }

    @AfterEach
    void killVnfs() throws InterruptedException {
        for (ShellVnf vnf : vnfs) {
            vnf.close();
        }
    }

    private ShellVnf vnf(Map<String, Path> ports) throws Exception {
        ShellVnf vnf = ShellVnf.start(deviceRoot, ports);
        vnfs.add(vnf);
        return vnf;
    }

    /** The region of port {@code name} (made once: the region directory is shared by the tests of this class). */
    private static Path port(String name, int ofport) throws IOException {
        Path file = regionDir.resolve("shunt-port-" + name);
        return Files.exists(file) ? file : TestRegions.port(regionDir, name, ofport, pool);
    }

    private static Path link(int a, int b) throws IOException {
        try (LinkRegion link = links.create("br0", a, b, 2, 64, pool)) {
            return link.region().file();
        }
    }

    record Answer(int status, JsonNode body, HttpResponse<String> response) {
        String error() {
            return body.path("error").asText(null);
        }
    }

    private static Answer call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(agent.url() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()), response);
    }

    private static Answer call(String method, String path, String body) throws Exception {
        return call(method, path, agent.token(), body);
    }

    private static String plugBody(Path region) {
        return "{\"region\":\"" + region + "\"}";
    }

    @Test
    void theTokenFileIsCreatedWithMode0600() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(agent.tokenFile())));
        assertEquals(43, agent.token().length(), "32 random bytes, base64url");
    }

    @Test
    void healthNeedsNoToken() throws Exception {
        Answer health = call("GET", "/v1/health", null, null);
        assertEquals(200, health.status());
        assertEquals("ok", health.body().get("status").asText());
        assertEquals("process", health.body().get("drivers").get(0).asText());
        assertEquals(new AgentWire.Health("ok", List.of("process")), client.health());
    }

    @Test
    void noTokenOrAWrongTokenIs401OnEveryProtectedPath() throws Exception {
        for (String[] request : new String[][] {{"GET", "/v1/ports"}, {"GET", "/v1/devices"},
                {"PUT", "/v1/ports/p1/devices/shunt-link-br0-1-2-1"}, {"DELETE", "/v1/ports/p1/devices/x"},
                {"GET", "/v1/unknown"}}) {
            Answer none = call(request[0], request[1], null, null);
            assertEquals(401, none.status(), request[1]);
            assertTrue(none.error().contains("missing token"), none.error());
            assertEquals("Bearer realm=\"shunt-compute-agent\"",
                    none.response().headers().firstValue("WWW-Authenticate").orElse(null));
            Answer wrong = call(request[0], request[1], agent.token() + "x", null);
            assertEquals(401, wrong.status(), request[1]);
            assertEquals("wrong token", wrong.error());
        }
        AgentClient badClient = new AgentClient(agent.url(), "not-the-token", Duration.ofSeconds(10));
        AgentException.Unauthorized e = assertThrows(AgentException.Unauthorized.class, badClient::ports);
        assertEquals(401, e.status());
        assertEquals("wrong token", e.agentMessage());
    }

    @Test
    void malformedPlugRequestsAre400WithAMessage() throws Exception {
        vnf(Map.of("p1", port("p1", 1)));
        Path link = link(1, 2);
        String device = "/v1/ports/p1/devices/" + link.getFileName();
        Path portRegion = regionDir.resolve("shunt-port-p1");
        Path garbage = regionDir.resolve("garbage");
        Files.write(garbage, new byte[8192]);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"region\":", "not valid JSON");
        cases.put("[1,2]", "JSON object");
        cases.put("{}", "no \"region\" string");
        cases.put("{\"region\":42}", "no \"region\" string");
        cases.put("{\"region\":\"relative/path\"}", "absolute path");
        cases.put(plugBody(regionDir.resolve("missing-file")), "does not exist");
        cases.put(plugBody(portRegion), "not a readable link region");
        cases.put(plugBody(garbage), "not a readable link region");
        cases.put(plugBody(stateDir.resolve("agent.token")), "not in the agent's region directory");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Answer answer = call("PUT", device, c.getKey());
            assertEquals(400, answer.status(), c.getKey());
            assertTrue(answer.error().contains(c.getValue()), c.getKey() + " -> " + answer.error());
        }
        Answer misnamed = call("PUT", "/v1/ports/p1/devices/shunt-link-br0-1-2-999", plugBody(link));
        assertEquals(400, misnamed.status());
        assertTrue(misnamed.error().contains("the device name is the link region name"), misnamed.error());
        Answer badName = call("PUT", "/v1/ports/.p1/devices/" + link.getFileName(), plugBody(link));
        assertEquals(400, badName.status());
        assertEquals(List.of(), client.devices(), "nothing was plugged");
        AgentException.BadRequest e = assertThrows(AgentException.BadRequest.class,
                () -> client.plug("p1", link.getFileName().toString(), portRegion));
        assertTrue(e.agentMessage().contains("not a readable link region"), e.getMessage());
    }

    @Test
    void aLinkThatDoesNotJoinThePortIs400() throws Exception {
        ShellVnf shell = vnf(Map.of("p1", port("p1", 1)));
        Path elsewhere = link(5, 6);
        Answer answer = call("PUT", "/v1/ports/p1/devices/" + elsewhere.getFileName(), plugBody(elsewhere));
        assertEquals(400, answer.status());
        assertTrue(answer.error().contains("does not join port p1 (port 1"), answer.error());
        assertFalse(Files.exists(shell.directory().resolve("devices").resolve(elsewhere.getFileName().toString()),
                LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void anUnknownPortIs404ForPlugAndUnplug() throws Exception {
        Path link = link(1, 2);
        String device = link.getFileName().toString();
        Answer plug = call("PUT", "/v1/ports/nobody/devices/" + device, plugBody(link));
        assertEquals(404, plug.status());
        assertEquals("no live VNF owns port nobody (drivers asked: process)", plug.error());
        Answer unplug = call("DELETE", "/v1/ports/nobody/devices/" + device, null);
        assertEquals(404, unplug.status());
        assertThrows(AgentException.NotFound.class, () -> client.plug("nobody", device, link));
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
        assertEquals(404, call("GET", "/v1/nothing", null).status());
        assertEquals(404, call("GET", "/v2/ports", null).status());
        assertEquals(404, call("GET", "/v1/ports/p1", null).status());
        Answer post = call("POST", "/v1/ports", "{}");
        assertEquals(405, post.status());
        assertEquals("GET", post.response().headers().firstValue("Allow").orElse(null));
        Answer get = call("GET", "/v1/ports/p1/devices/d", null);
        assertEquals(405, get.status());
        assertEquals("PUT, DELETE", get.response().headers().firstValue("Allow").orElse(null));
        assertTrue(get.error().contains("GET"), get.error());
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        Answer big = call("PUT", "/v1/ports/p1/devices/d", "{\"region\":\"" + "x".repeat(20_000) + "\"}");
        assertEquals(413, big.status());
        assertTrue(big.error().contains("16384"), big.error());
    }

    @Test
    void plugReplugConflictUnplugOnARealVnf() throws Exception {
        ShellVnf shell = vnf(Map.of("p1", port("p1", 1)));
        Path link = link(1, 2);
        String device = link.getFileName().toString();
        Path entry = shell.directory().resolve("devices").resolve(device);

        Answer plugged = call("PUT", "/v1/ports/p1/devices/" + device, plugBody(link));
        assertEquals(200, plugged.status(), plugged.body().toString());
        assertEquals(JSON.readTree("{\"port\":\"p1\",\"vnf\":\"" + shell.id() + "\",\"device\":\"" + device
                + "\",\"driver\":\"process\"}"), plugged.body());
        assertTrue(Files.isSymbolicLink(entry), "the device entry exists when the answer comes");
        assertEquals(link, Files.readSymbolicLink(entry));

        assertEquals(List.of(new AgentWire.Device("p1", shell.id(), device, link.toString(), "process")),
                client.devices());
        assertEquals(new AgentWire.Plugged("p1", shell.id(), device, "process"), client.plug("p1", device, link),
                "the same plug again is 200");

        // The same region spelled another way is the same plug.
        Answer same = call("PUT", "/v1/ports/p1/devices/" + device,
                plugBody(regionDir.resolve(".").resolve(link.getFileName())));
        assertEquals(200, same.status(), same.body().toString());

        Answer unplugged = call("DELETE", "/v1/ports/p1/devices/" + device, null);
        assertEquals(200, unplugged.status());
        assertEquals(JSON.readTree("{\"port\":\"p1\",\"device\":\"" + device + "\",\"unplugged\":true}"),
                unplugged.body());
        assertFalse(Files.exists(entry, LinkOption.NOFOLLOW_LINKS));
        Answer again = call("DELETE", "/v1/ports/p1/devices/" + device, null);
        assertEquals(404, again.status());
        assertTrue(again.error().contains("not plugged"), again.error());
        assertEquals(List.of(), client.devices());
    }

    @Test
    void aDeviceEntryPointingElsewhereIs409() throws Exception {
        ShellVnf shell = vnf(Map.of("p1", port("p1", 1)));
        Path link = link(1, 2);
        String device = link.getFileName().toString();
        // The VNF already holds an entry of that name that points to another file (a stale
        // entry, or a link region re-created elsewhere): plugging must not silently replace it.
        Path devices = Files.createDirectories(shell.directory().resolve("devices"));
        Path elsewhere = stateDir.resolve("old-" + device);
        Files.createSymbolicLink(devices.resolve(device), elsewhere);
        Answer conflict = call("PUT", "/v1/ports/p1/devices/" + device, plugBody(link));
        assertEquals(409, conflict.status());
        assertTrue(conflict.error().contains(elsewhere.toString()) && conflict.error().contains("unplug it first"),
                conflict.error());
        assertEquals(elsewhere, Files.readSymbolicLink(devices.resolve(device)), "nothing changed");
        AgentException e = assertThrows(AgentException.Conflict.class, () -> client.plug("p1", device, link));
        assertEquals(409, e.status());
        client.unplug("p1", device);
        assertEquals("p1", client.plug("p1", device, link).port());
    }

    @Test
    void portsOfALiveVnfAreListedAndVanishWhenItDies() throws Exception {
        ShellVnf a = vnf(Map.of("pa1", port("pa1", 11),
                "pa2", port("pa2", 12)));
        ShellVnf b = vnf(Map.of("pb1", port("pb1", 13)));
        Answer ports = call("GET", "/v1/ports", null);
        assertEquals(200, ports.status());
        assertEquals(JSON.readTree("{\"ports\":["
                + "{\"port\":\"pa1\",\"vnf\":\"" + a.id() + "\",\"driver\":\"process\",\"pid\":" + a.pid() + "},"
                + "{\"port\":\"pa2\",\"vnf\":\"" + a.id() + "\",\"driver\":\"process\",\"pid\":" + a.pid() + "},"
                + "{\"port\":\"pb1\",\"vnf\":\"" + b.id() + "\",\"driver\":\"process\",\"pid\":" + b.pid() + "}]}"),
                sortedPorts(ports.body()));
        a.kill();
        assertEquals(List.of(new AgentWire.Port("pb1", b.id(), "process", b.pid())), client.ports());
        Path link = link(11, 13);
        assertThrows(AgentException.NotFound.class, () -> client.plug("pa1", link.getFileName().toString(), link),
                "a dead VNF's port has no owner");
    }

    @Test
    void devicesListOneEntryPerJoinedPortOfEachVnf() throws Exception {
        ShellVnf left = vnf(Map.of("l1", port("l1", 21)));
        ShellVnf right = vnf(Map.of("r1", port("r1", 22),
                "r2", port("r2", 23)));
        Path link = link(21, 22);
        String device = link.getFileName().toString();
        client.plug("l1", device, link);
        client.plug("r1", device, link);
        List<AgentWire.Device> devices = new ArrayList<>(client.devices());
        devices.sort(java.util.Comparator.comparing(AgentWire.Device::port));
        assertEquals(List.of(new AgentWire.Device("l1", left.id(), device, link.toString(), "process"),
                new AgentWire.Device("r1", right.id(), device, link.toString(), "process")), devices);
        AgentException.NotFound e = assertThrows(AgentException.NotFound.class, () -> client.unplug("l1", "other"));
        assertNotNull(e.agentMessage());
        client.unplug("l1", device);
        client.unplug("r1", device);
        assertEquals(List.of(), client.devices());
    }

    @Test
    void aClientTimeoutOrAStoppedAgentIsUnreachable() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            AgentClient slow = new AgentClient(URI.create("http://127.0.0.1:" + silent.getLocalPort()), "t",
                    Duration.ofMillis(300));
            AgentException e = assertThrows(AgentException.class, slow::ports);
            assertInstanceOf(AgentException.Unreachable.class, e, e.getMessage());
            assertEquals(0, e.status());
        }
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        AgentClient nobody = new AgentClient(URI.create("http://127.0.0.1:" + closedPort), "t", Duration.ofSeconds(5));
        AgentException.Unreachable e = assertThrows(AgentException.Unreachable.class, nobody::devices);
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
    }

    @Test
    void theLoggedCurlCommandPlugsForReal() throws Exception {
        ShellVnf shell = vnf(Map.of("c1", port("c1", 31)));
        Path link = link(31, 32);
        String device = link.getFileName().toString();
        String command = AgentClient.plugCommand(agent.url(), agent.tokenFile(), "c1", device, link);
        Process curl = new ProcessBuilder("/bin/bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes());
        assertTrue(curl.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, curl.exitValue(), out);
        assertEquals("c1", JSON.readTree(out).get("port").asText(), out);
        assertEquals(link, Files.readSymbolicLink(shell.directory().resolve("devices").resolve(device)));
    }

    private static JsonNode sortedPorts(JsonNode body) {
        List<JsonNode> ports = new ArrayList<>();
        body.get("ports").forEach(ports::add);
        ports.sort(java.util.Comparator.comparing(p -> p.get("port").asText()));
        var array = JSON.createArrayNode();
        ports.forEach(array::add);
        var root = JSON.createObjectNode();
        root.set("ports", array);
        return root;
    }
}
