package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.ExitCode;
import io.shunt.ctl.flow.FlowSyntaxException;
import io.shunt.ctl.flow.MeterSyntax;
import io.shunt.ctl.openflow.OpenFlowClient;
import io.shunt.ctl.output.Output;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFMeterConfig;
import org.projectfloodlight.openflow.protocol.OFMeterConfigStatsReply;
import org.projectfloodlight.openflow.protocol.OFMeterMod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** add-meter, del-meters, dump-meters, in ovs-ofctl syntax. */
public final class MeterCommands {

    private MeterCommands() {
    }

    static OFMeterMod parse(String text, boolean add) throws CtlFailure {
        try {
            return new MeterSyntax(OpenFlowClient.OF13).parse(text, add);
        } catch (FlowSyntaxException e) {
            throw new CtlFailure(ExitCode.USAGE, e.describe("meter", text));
        }
    }

    @Command(name = "add-meter", mixinStandardHelpOptions = true,
            description = {"Add a meter: meter=N, flags kbps|pktps, burst, stats, then band=type=drop|dscp_remark,",
                    "rate=N[,burst_size=N][,prec_level=N] for each band."},
            footer = {"", "Examples:", "  shunt-ctl add-meter br0 'meter=1,kbps,band=type=drop,rate=10000'",
                    "  shunt-ctl add-meter br0 'meter=2,pktps,burst,stats,band=type=drop,rate=1000,burst_size=100'"})
    public static final class AddMeter extends CtlCommand {
        @Parameters(index = "0", paramLabel = "BRIDGE")
        String bridge;

        @Parameters(index = "1", paramLabel = "METER")
        String meter;

        @Override
        void run() throws CtlFailure {
            OFMeterMod mod = parse(meter, true);
            try (OpenFlowClient client = ctl.openflow(bridge)) {
                client.change(mod, "meter '" + meter + "'");
            }
        }
    }

    @Command(name = "del-meters", mixinStandardHelpOptions = true,
            description = "Delete one meter (meter=N) or all of them.",
            footer = {"", "Examples:", "  shunt-ctl del-meters br0", "  shunt-ctl del-meters br0 meter=1"})
    public static final class DelMeters extends CtlCommand {
        @Parameters(index = "0", paramLabel = "BRIDGE")
        String bridge;

        @Parameters(index = "1", arity = "0..1", paramLabel = "METER")
        String meter;

        @Override
        void run() throws CtlFailure {
            OFMeterMod mod = parse(meter == null ? "" : meter, false);
            try (OpenFlowClient client = ctl.openflow(bridge)) {
                client.change(mod, "meter deletion");
            }
        }
    }

    @Command(name = "dump-meters", mixinStandardHelpOptions = true,
            description = "Print the meters of a bridge, as ovs-ofctl dump-meters does.",
            footer = {"", "Examples:", "  shunt-ctl dump-meters br0", "  shunt-ctl dump-meters br0 --format json"})
    public static final class DumpMeters extends CtlCommand {
        @Parameters(index = "0", paramLabel = "BRIDGE")
        String bridge;

        @Override
        void run() throws CtlFailure {
            List<OFMeterConfig> meters = new ArrayList<>();
            try (OpenFlowClient client = ctl.openflow(bridge)) {
                for (OFMeterConfigStatsReply part : client.multipart(
                        client.factory().buildMeterConfigStatsRequest().setMeterId(MeterSyntax.ALL).build(),
                        OFMeterConfigStatsReply.class, "the meter configuration request")) {
                    meters.addAll(part.getEntries());
                }
            }
            Output output = ctl.output();
            if (output.json()) {
                ArrayNode list = JsonNodeFactory.instance.arrayNode();
                for (OFMeterConfig m : meters) {
                    list.addObject().put("meter", m.getMeterId()).put("text", MeterSyntax.format(m));
                }
                output.printJson(list);
                return;
            }
            // As ovs-ofctl: a blank line between meters.
            for (int i = 0; i < meters.size(); i++) {
                if (i > 0) {
                    output.writer().println();
                }
                output.writer().println(MeterSyntax.format(meters.get(i)));
            }
        }
    }
}
