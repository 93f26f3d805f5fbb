package io.shunt.ofproto.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shunt.ofproto.FailMode;
import io.shunt.ofproto.OpenFlowAgent;
import io.shunt.ofproto.OpenFlowSwitch;
import io.shunt.ofproto.SwitchClock;
import io.shunt.ofproto.SwitchConfig;
import io.shunt.ofproto.channel.ConnectionState;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.datapath.SoftDatapath;
import io.shunt.ofproto.testing.ExternalProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * As in Open vSwitch, a tool on the bridge's management socket is a service connection: it
 * does not count as a controller, so a standalone bridge keeps switching as NORMAL while an
 * operator runs ovs-ofctl against it; a controller connection does stop it.
 */
@Timeout(120)
class FailModeServiceConnectionTest {

    @TempDir
    Path tmp;

    @Test
    void ovsOfctlOnTheManagementSocketDoesNotTakeAStandaloneBridgeOutOfStandalone() throws Exception {
        SoftDatapath datapath = new SoftDatapath(SwitchClock.system());
        datapath.addPort(PortInfo.virtual(1, 0x0200_0000_0001L, "p1"));
        OpenFlowSwitch sw = new OpenFlowSwitch(SwitchConfig.defaults(0x5B).withFailMode(FailMode.STANDALONE), datapath);
        OpenFlowAgent agent = new OpenFlowAgent("br0", sw);
        sw.start(agent.controlThread());
        agent.start();
        try {
            Path socket = tmp.resolve("br0.mgmt");
            agent.listenService("punix:" + socket);
            int port = agent.port(agent.listen("ptcp:0:127.0.0.1"));
            assertTrue(sw.standaloneActive());

            try (ExternalProcess tool = monitor("unix:" + socket, "tool.ctl")) {
                awaitEstablished(agent, 1);
                assertTrue(sw.standaloneActive(), "ovs-ofctl on the management socket is not a controller");

                try (ExternalProcess controller = monitor("tcp:127.0.0.1:" + port, "controller.ctl")) {
                    awaitEstablished(agent, 2);
                    assertFalse(sw.standaloneActive(), "a connection on a controller listener is a controller");
                }
                awaitEstablished(agent, 1);
                assertTrue(sw.standaloneActive(), "the controller left: standalone again");
                assertTrue(tool.isAlive());
            }
        } finally {
            agent.stop();
            sw.stop();
        }
    }

    private ExternalProcess monitor(String target, String unixctl) throws Exception {
        return ExternalProcess.start(tmp, List.of("ovs-ofctl", "-O", "OpenFlow13", "--unixctl=" + tmp.resolve(unixctl),
                "monitor", target));
    }

    private static void awaitEstablished(OpenFlowAgent agent, int count) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (agent.connections().stream().filter(c -> c.state() == ConnectionState.ESTABLISHED).count() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " established connections, have " + agent.connections());
            }
            Thread.sleep(20);
        }
        // The switch hears of a connection on the control thread, in the task that set its
        // state: once a task queued after it has run, the switch has counted it.
        agent.controlThread().submit(() -> { }).get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
}
