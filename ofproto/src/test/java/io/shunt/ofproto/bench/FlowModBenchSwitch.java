package io.shunt.ofproto.bench;

import io.shunt.ofproto.OpenFlowAgent;
import io.shunt.ofproto.OpenFlowSwitch;
import io.shunt.ofproto.SwitchClock;
import io.shunt.ofproto.SwitchConfig;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.datapath.SoftDatapath;
import java.util.concurrent.CountDownLatch;

/**
 * The switch side of bench/ofproto/flowmods.sh: an OpenFlowAgent and an
 * OpenFlowSwitch over the in-memory datapath (ports 1 and 2), listening on
 * the targets given as arguments (e.g. {@code punix:/tmp/x/shunt.mgmt}),
 * running until killed.
 */
public final class FlowModBenchSwitch {

    private FlowModBenchSwitch() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: FlowModBenchSwitch TARGET... (ptcp:PORT[:IP] or punix:PATH)");
            System.exit(2);
        }
        SoftDatapath datapath = new SoftDatapath(SwitchClock.system());
        datapath.addPort(PortInfo.virtual(1, 0x0200_0000_0001L, "p1"));
        datapath.addPort(PortInfo.virtual(2, 0x0200_0000_0002L, "p2"));
        // The benchmark commits 100,000 flow-mods in one bundle: raise the per-bundle limit (default 65,536).
        SwitchConfig defaults = SwitchConfig.defaults(0x5A);
        SwitchConfig config = defaults.withLimits(defaults.maxGroups(), defaults.maxBuckets(), defaults.maxMeters(),
                defaults.maxBands(), 1 << 20);
        OpenFlowSwitch sw = new OpenFlowSwitch(config, datapath);
        OpenFlowAgent agent = new OpenFlowAgent("bench0", sw);
        sw.start(agent.controlThread());
        agent.start();
        for (String target : args) {
            System.out.println("listening on " + agent.listen(target));
        }
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sw.stop();
            agent.stop();
            forever.countDown();
        }));
        forever.await();
    }
}
