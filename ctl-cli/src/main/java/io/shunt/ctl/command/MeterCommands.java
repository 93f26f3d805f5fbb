package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.flow.MeterSyntax;
import io.shunt.ctl.openflow.OpenFlowClient;
import org.projectfloodlight.openflow.protocol.OFMeterConfig;
import org.projectfloodlight.openflow.protocol.OFMeterConfigStatsReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** add-meter, del-meters, dump-meters, in ovs-ofctl syntax. */
public final class MeterCommands {

    private MeterCommands() {
    }

    @Command(name = "add-meter", mixinStandardHelpOptions = true,
            description = {"Add a meter: meter=N, flags kbps|pktps, burst, stats, then band=type=drop|dscp_remark,",
                    "rate=N[,burst_size=N][,prec_level=N] for each band."},
            footer = {"", "Examples:", "  shunt-ctl add-meter br0 'meter=1,kbps,band=type=drop,rate=10000'",
                    "  shunt-ctl add-meter br0 'meter=2,pktps,burst,stats,band=type=drop,rate=1000,burst_size=100'"})
    public static final class AddMeter extends OpenFlowCommand {
        @Parameters(index = "1", paramLabel = "METER")
        String meter;

        @Override
        void run() throws CtlFailure {
            change(parse("meter", meter, text -> new MeterSyntax(OpenFlowClient.OF13).parse(text, true)), "meter '" + meter + "'");
        }
    }

    @Command(name = "del-meters", mixinStandardHelpOptions = true,
            description = "Delete one meter (meter=N) or all of them.",
            footer = {"", "Examples:", "  shunt-ctl del-meters br0", "  shunt-ctl del-meters br0 meter=1"})
    public static final class DelMeters extends OpenFlowCommand {
        @Parameters(index = "1", arity = "0..1", paramLabel = "METER")
        String meter = "";

        @Override
        void run() throws CtlFailure {
            change(parse("meter", meter, text -> new MeterSyntax(OpenFlowClient.OF13).parse(text, false)), "meter deletion");
        }
    }

    @Command(name = "dump-meters", mixinStandardHelpOptions = true,
            description = "Print the meters of a bridge, as ovs-ofctl dump-meters does.",
            footer = {"", "Examples:", "  shunt-ctl dump-meters br0", "  shunt-ctl dump-meters br0 --format json"})
    public static final class DumpMeters extends OpenFlowCommand {
        @Override
        void run() throws CtlFailure {
            print(read(OpenFlowClient.OF13.buildMeterConfigStatsRequest().setMeterId(MeterSyntax.ALL).build(),
                            OFMeterConfigStatsReply.class, OFMeterConfigStatsReply::getEntries, "the meter configuration request"),
                    (OFMeterConfig m) -> JsonNodeFactory.instance.objectNode().put("meter", m.getMeterId())
                            .put("text", MeterSyntax.format(m)),
                    (meters, out) -> {
                        // As ovs-ofctl: a blank line between meters.
                        for (int i = 0; i < meters.size(); i++) {
                            if (i > 0) {
                                out.println();
                            }
                            out.println(MeterSyntax.format(meters.get(i)));
                        }
                    });
        }
    }
}
