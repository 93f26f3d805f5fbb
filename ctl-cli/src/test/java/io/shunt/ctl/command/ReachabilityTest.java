package io.shunt.ctl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shunt.ctl.ExitCode;
import io.shunt.ctl.testing.Ctl;
import io.shunt.ctl.testing.Ctl.Result;
import io.shunt.ctl.testing.VswitchdProcess;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What shunt-ctl does when vswitchd is not there, gone, stuck or talking
 * nonsense: one line on stderr that says so, and an exit code a script can
 * test (3 unreachable, 6 protocol error), never a hang beyond --timeout.
 */
class ReachabilityTest {

    @TempDir
    Path dir;


    @Test
    void noVswitchdMeansExit3WithTheSocketPathAndAHint() {
        Result r = new Ctl(dir).run("list-br");
        Ctl.assertFailure(r, ExitCode.UNREACHABLE, "cannot connect to vswitchd at " + dir.resolve("shunt.ctl"), "no such socket",
                "is shunt-vswitchd running?", "SHUNT_RUN_DIR");
    }

    @Test
    void aStaleSocketLeftByADeadVswitchdIsConnectionRefused() throws Exception {
        Path socket = dir.resolve("shunt.ctl");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket), "the socket file outlives its listener");
        Result r = new Ctl(dir).run("add-br", "br9");
        Ctl.assertFailure(r, ExitCode.UNREACHABLE, "cannot connect to vswitchd at " + socket, "Connection refused");
    }

    @Test
    void aVswitchdThatStoppedIsUnreachable() throws Exception {
        Path run;
        try (VswitchdProcess v = VswitchdProcess.start(dir)) {
            run = v.runDir();
            assertEquals(ExitCode.OK, new Ctl(run).run("list-br").exit());
        }
        Ctl.assertFailure(new Ctl(run).run("list-br"), ExitCode.UNREACHABLE, "cannot connect to vswitchd");
        Ctl.assertFailure(new Ctl(run).run("dump-flows", "br0"), ExitCode.UNREACHABLE,
                "cannot connect to bridge br0 at " + run.resolve("br0.mgmt"));
    }

    @Test
    void aVswitchdThatNeverAnswersTimesOutWithinTimeout() throws Exception {
        Path socket = dir.resolve("shunt.ctl");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                try (SocketChannel held = server.accept()) {
                    Thread.sleep(30_000);
                } catch (IOException | InterruptedException ignored) {
                    // the test is over
                }
            });
            long start = System.nanoTime();
            Result r = new Ctl(dir).run("--timeout", "0.5", "list-br");
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Ctl.assertFailure(r, ExitCode.UNREACHABLE, "timed out after 500 ms waiting for an answer from vswitchd", "(--timeout)");
            assertTrue(tookMs < 15_000, "bounded by --timeout, took " + tookMs + " ms");
            acceptor.interrupt();
        }
    }

    @Test
    void anAnswerThatIsNotJsonIsAProtocolError() throws Exception {
        Path socket = dir.resolve("shunt.ctl");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofPlatform().daemon().start(() -> {
                try (SocketChannel c = server.accept()) {
                    c.read(ByteBuffer.allocate(4096));
                    c.write(ByteBuffer.wrap("this is not json\n".getBytes(StandardCharsets.UTF_8)));
                    Thread.sleep(5_000);
                } catch (IOException | InterruptedException ignored) {
                    // the test is over
                }
            });
            Ctl.assertFailure(new Ctl(dir).run("list-br"), ExitCode.PROTOCOL_ERROR, "vswitchd's answer to list-br is not JSON");
        }
    }

    /** The real program, as a script runs it: exit status from System.exit, one line on stderr, no JVM noise. */
    @Test
    void theProgramExitsWithTheDocumentedStatus() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "io.shunt.ctl.ShuntCtl",
                "--run-dir", dir.toString(), "list-br"))
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "shunt-ctl finished");
        assertEquals(ExitCode.UNREACHABLE, p.exitValue());
        List<String> err = Files.readAllLines(dir.resolve("err"));
        assertEquals(1, err.size(), () -> String.join("\n", err));
        assertTrue(err.getFirst().startsWith("shunt-ctl: cannot connect to vswitchd"), err.getFirst());
        assertEquals(0, Files.size(dir.resolve("out")));

        Process usage = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "io.shunt.ctl.ShuntCtl",
                "add-flow", "br0", "in_prot=1,actions=drop")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("usage").toFile()).start();
        assertTrue(usage.waitFor(60, TimeUnit.SECONDS));
        assertEquals(ExitCode.USAGE, usage.exitValue());
        assertEquals(List.of("shunt-ctl: bad flow: 'in_prot=1,actions=drop': unknown field 'in_prot' at column 1"),
                Files.readAllLines(dir.resolve("usage")));
        assertFalse(Files.exists(dir.resolve("br0.mgmt")));
    }

    /**
     * A vswitchd older than shunt-ctl answers a method it lacks with JSON-RPC's
     * "method not found" (-32601), as ManagementServer does: the user is told
     * that, once, with exit 5, plain or watching, text or JSON.
     */
    @Test
    void aVswitchdWithoutTheLinksMethodIsTooOldExit5() throws Exception {
        Path socket = dir.resolve("shunt.ctl");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofPlatform().daemon().start(() -> answerMethodNotFound(server));
            for (String[] args : List.of(new String[] {"links"}, new String[] {"links", "br0", "--format", "json"},
                    new String[] {"links", "--watch", "--interval", "0.05", "--count", "3"})) {
                Ctl.assertFailure(new Ctl(dir).run(args), ExitCode.UNSUPPORTED, "shunt-ctl: vswitchd does not support method links (too old?)");
            }
        }
    }

    /** Answers every request on every connection with -32601, echoing its id. */
    private static void answerMethodNotFound(ServerSocketChannel server) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        while (server.isOpen()) {
            try (SocketChannel c = server.accept();
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(java.nio.channels.Channels.newInputStream(c),
                            StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    var request = json.readTree(line);
                    String answer = "{\"jsonrpc\":\"2.0\",\"id\":" + request.path("id") + ",\"error\":{\"code\":-32601,"
                            + "\"message\":\"no method " + request.path("method").asText() + "\"}}\n";
                    c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                }
            } catch (IOException closedOrDone) {
                // the client hung up, or the test closed the server
            }
        }
    }
}
