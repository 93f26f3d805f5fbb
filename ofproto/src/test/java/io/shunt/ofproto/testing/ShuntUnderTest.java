package io.shunt.ofproto.testing;

import io.shunt.ofproto.OpenFlowAgent;
import io.shunt.ofproto.OpenFlowSwitch;
import io.shunt.ofproto.SwitchClock;
import io.shunt.ofproto.SwitchConfig;
import io.shunt.ofproto.channel.ChannelSettings;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.datapath.SoftDatapath;
import java.nio.file.Path;

/**
 * A whole shunt OpenFlow stack for end-to-end tests: the real
 * {@link OpenFlowSwitch} over the in-memory {@link SoftDatapath} (ports 1
 * "p1" and 2 "p2"), behind an {@link OpenFlowAgent} listening on an
 * ephemeral {@code ptcp:} port and a {@code punix:} socket in a temp dir.
 */
public final class ShuntUnderTest implements AutoCloseable {

    public static final long DPID = 0x5A;

    private final OpenFlowAgent agent;
    private final OpenFlowSwitch openFlowSwitch;
    private final SoftDatapath datapath;
    private final int port;
    private final Path socket;
    private final Path dir;

    private ShuntUnderTest(OpenFlowAgent agent, OpenFlowSwitch sw, SoftDatapath datapath, int port, Path socket, Path dir) {
        this.agent = agent;
        this.openFlowSwitch = sw;
        this.datapath = datapath;
        this.port = port;
        this.socket = socket;
        this.dir = dir;
    }

    public static ShuntUnderTest start(Path dir) throws Exception {
        return start(dir, ChannelSettings.defaults());
    }

    public static ShuntUnderTest start(Path dir, ChannelSettings settings) throws Exception {
        SoftDatapath datapath = new SoftDatapath(SwitchClock.system());
        datapath.addPort(PortInfo.virtual(1, 0x0200_0000_0001L, "p1"));
        datapath.addPort(PortInfo.virtual(2, 0x0200_0000_0002L, "p2"));
        OpenFlowSwitch sw = new OpenFlowSwitch(SwitchConfig.defaults(DPID), datapath);
        OpenFlowAgent agent = new OpenFlowAgent("br0", sw, settings);
        sw.start(agent.controlThread());
        agent.start();
        Path socket = dir.resolve("br0.mgmt");
        try {
            int port = agent.port(agent.listen("ptcp:0:127.0.0.1"));
            agent.listen("punix:" + socket);
            return new ShuntUnderTest(agent, sw, datapath, port, socket, dir);
        } catch (Exception | Error e) {
            agent.stop();
            throw e;
        }
    }

    public OpenFlowAgent agent() {
        return agent;
    }

    public OpenFlowSwitch openFlowSwitch() {
        return openFlowSwitch;
    }

    public SoftDatapath datapath() {
        return datapath;
    }

    public int port() {
        return port;
    }

    /** The passive TCP listener as ovs-ofctl names it. */
    public String tcp() {
        return "tcp:127.0.0.1:" + port;
    }

    /** The unix socket as ovs-ofctl names it. */
    public String unix() {
        return "unix:" + socket;
    }

    /** Runs {@code ovs-ofctl -O OpenFlow13 COMMAND tcp:... ARGS}, fails unless it exits 0, returns its output. */
    public String ofctl(String command, String... args) throws Exception {
        String[] cmd = new String[5 + args.length];
        cmd[0] = "ovs-ofctl";
        cmd[1] = "-O";
        cmd[2] = "OpenFlow13";
        cmd[3] = command;
        cmd[4] = tcp();
        System.arraycopy(args, 0, cmd, 5, args.length);
        return ExternalProcess.run(dir, 60, cmd).assertOk().output();
    }

    @Override
    public void close() {
        openFlowSwitch.stop();
        agent.stop();
    }
}
