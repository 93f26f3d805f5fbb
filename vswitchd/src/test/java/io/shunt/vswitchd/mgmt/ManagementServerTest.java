package io.shunt.vswitchd.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shunt.vswitchd.config.ConfigDatabase;
import io.shunt.vswitchd.config.ConfigStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The management socket as a client sees it: JSON-RPC lines over a real Unix socket. */
@Timeout(60)
class ManagementServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ManagementServer server;
    private ConfigStore store;
    private SocketChannel socket;
    private BufferedReader in;
    private OutputStream out;

    @BeforeEach
    void start() throws Exception {
        store = new ConfigStore(dir.resolve("conf.json"));
        server = new ManagementServer(dir.resolve("shunt.ctl"));
        new ConfigMethods(new ConfigDatabase(store)).registerOn(server);
        server.start();
        socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        socket.connect(UnixDomainSocketAddress.of(server.path()));
        in = new BufferedReader(new InputStreamReader(Channels.newInputStream(socket), StandardCharsets.UTF_8));
        out = Channels.newOutputStream(socket);
    }

    @AfterEach
    void stop() throws Exception {
        socket.close();
        server.close();
    }

    private JsonNode call(String line) throws Exception {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return JSON.readTree(in.readLine());
    }

    private JsonNode call(String method, String params) throws Exception {
        return call("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":" + params + "}");
    }

    @Test
    void addedBridgeIsListedAndPersisted() throws Exception {
        JsonNode added = call("add-br", "{\"bridge\":\"br1\"}");
        assertNull(added.get("error"), added.toString());
        assertEquals(7, added.get("id").asInt());
        JsonNode list = call("list-br", "{}");
        assertEquals("[\"br0\",\"br1\"]", list.get("result").toString());
        assertTrue(store.load().bridge("br1").isPresent(), "add-br is on disk when the reply comes");
    }

    @Test
    void portsGetIncreasingNumbersThatAreNotReused() throws Exception {
        assertEquals(1, call("add-port", "{\"bridge\":\"br0\",\"port\":\"dpdkr0\"}").get("result").get("ofport").asInt());
        assertEquals(2, call("add-port", "{\"bridge\":\"br0\",\"port\":\"dpdkr1\"}").get("result").get("ofport").asInt());
        call("del-port", "{\"port\":\"dpdkr1\"}");
        JsonNode third = call("add-port", "{\"bridge\":\"br0\",\"port\":\"dpdkr2\",\"type\":\"dpdkr\"}");
        assertEquals(3, third.get("result").get("ofport").asInt());
        assertEquals("[\"dpdkr0\",\"dpdkr2\"]", call("list-ports", "{\"bridge\":\"br0\"}").get("result").toString());
    }

    @Test
    void errorsCarryTheirKindAsCodeAndChangeNothing() throws Exception {
        JsonNode noBridge = call("add-port", "{\"bridge\":\"nope\",\"port\":\"p\"}");
        assertEquals(1, noBridge.get("error").get("code").asInt());
        assertTrue(noBridge.get("error").get("message").asText().contains("nope"));
        call("add-port", "{\"bridge\":\"br0\",\"port\":\"p\"}");
        JsonNode inUse = call("add-port", "{\"bridge\":\"br0\",\"port\":\"p\"}");
        assertEquals(4, inUse.get("error").get("code").asInt());
        JsonNode badType = call("add-port", "{\"bridge\":\"br0\",\"port\":\"q\",\"type\":\"vhost\"}");
        assertEquals(5, badType.get("error").get("code").asInt());
        assertTrue(badType.get("error").get("message").asText().contains("vhost"));
        JsonNode badName = call("add-br", "{\"bridge\":\"this-name-is-far-too-long\"}");
        assertEquals(5, badName.get("error").get("code").asInt());
        assertEquals("[\"p\"]", call("list-ports", "{\"bridge\":\"br0\"}").get("result").toString());
        assertEquals(1, store.load().bridges().size());
    }

    @Test
    void malformedRequestsGetProtocolErrorsAndTheConnectionLivesOn() throws Exception {
        assertEquals(RpcError.PARSE_ERROR, call("{not json").get("error").get("code").asInt());
        assertEquals(RpcError.INVALID_REQUEST, call("[1,2]").get("error").get("code").asInt());
        assertEquals(RpcError.METHOD_NOT_FOUND, call("frobnicate", "{}").get("error").get("code").asInt());
        assertEquals(RpcError.INVALID_PARAMS, call("add-br", "[\"br1\"]").get("error").get("code").asInt());
        assertEquals(RpcError.INVALID_PARAMS, call("add-br", "{}").get("error").get("code").asInt());
        assertEquals("[\"br0\"]", call("list-br", "{}").get("result").toString());
    }

    @Test
    void controllersAndFailModeRoundTrip() throws Exception {
        call("set-controller", "{\"bridge\":\"br0\",\"targets\":[\"tcp:127.0.0.1:6653\",\"ptcp:6634\"]}");
        assertEquals("[\"tcp:127.0.0.1:6653\",\"ptcp:6634\"]", call("get-controller", "{\"bridge\":\"br0\"}").get("result").toString());
        assertEquals(5, call("set-controller", "{\"bridge\":\"br0\",\"targets\":[\"udp:1\"]}").get("error").get("code").asInt());
        call("set-fail-mode", "{\"bridge\":\"br0\",\"mode\":\"secure\"}");
        assertEquals("\"secure\"", call("get-fail-mode", "{\"bridge\":\"br0\"}").get("result").toString());
        call("del-controller", "{\"bridge\":\"br0\"}");
        assertEquals("[]", call("get-controller", "{\"bridge\":\"br0\"}").get("result").toString());
    }
}
