package io.shunt.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.shunt.agent.client.AgentClient;
import io.shunt.agent.client.AgentException;
import io.shunt.agent.client.AgentWire;

class ComputeAgentLifecycleTest {
    @TempDir
    Path regionDir;
    @TempDir
    Path stateDir;

    @Test
    void anExistingTokenFileIsKeptAndSigtermStopsTheAgentCleanly() throws Exception {
        Path tokenFile = stateDir.resolve("agent.token");
        Files.writeString(tokenFile, "chosen-by-the-admin\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        AgentProcess agent = AgentProcess.start(stateDir, regionDir, regionDir.resolve("devices"));
        try {
            assertEquals("chosen-by-the-admin", agent.token());
            AgentClient client = new AgentClient(agent.url(), "chosen-by-the-admin", Duration.ofSeconds(10));
            assertEquals(List.<AgentWire.Port>of(), client.ports(), "no device root yet: no VNF, no error");
        } finally {
            // 143 = 128 + SIGTERM: the JVM's status after its shutdown hooks ran on that signal.
            assertEquals(143, agent.stop(), "exit status after SIGTERM; log:\n" + agent.log());
            assertTrue(agent.log().contains("stopping"), agent.log());
        }
        AgentClient after = new AgentClient(agent.url(), "chosen-by-the-admin", Duration.ofSeconds(5));
        assertThrows(AgentException.Unreachable.class, after::health, "the port is closed once it stopped");
    }

    @Test
    void aBadListenAddressIsAUsageErrorBeforeAnythingStarts() throws Exception {
        Path target = Path.of("target").toAbsolutePath();
        String classpath = target.resolve("classes") + ":" + Files.readString(target.resolve("classpath.txt")).strip();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", classpath,
                ComputeAgent.class.getName(), "--listen", "127.0.0.1:99999", "--token-file",
                stateDir.resolve("t").toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertTrue(process.exitValue() != 0, out);
        assertTrue(out.contains("--listen port must be 0-65535, not 99999"), out);
        assertTrue(Files.notExists(stateDir.resolve("t")), "no token file made for a run that never started");
    }

    @Test
    void listenAcceptsHostPortAndBracketedIpv6() {
        assertEquals(new InetSocketAddress("127.0.0.1", 6680), ComputeAgent.parseListen("127.0.0.1:6680"));
        assertEquals(new InetSocketAddress("::1", 0), ComputeAgent.parseListen("[::1]:0"));
        assertThrows(IllegalArgumentException.class, () -> ComputeAgent.parseListen("6680"));
        assertThrows(IllegalArgumentException.class, () -> ComputeAgent.parseListen("host:"));
        assertThrows(IllegalArgumentException.class, () -> ComputeAgent.parseListen("host:x"));
    }
}
