package io.shunt.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.ctl.command.BridgeCommands;
import io.shunt.ctl.command.CompletionCommand;
import io.shunt.ctl.command.ControllerCommands;
import io.shunt.ctl.command.FlowCommands;
import io.shunt.ctl.command.GroupCommands;
import io.shunt.ctl.command.MeterCommands;
import io.shunt.ctl.command.PortCommands;
import io.shunt.ctl.command.SettingsCommands;
import io.shunt.ctl.command.ShowCommand;
import io.shunt.ctl.command.StatusCommands;
import io.shunt.ctl.command.SwitchCommands;
import io.shunt.ctl.mgmt.ManagementClient;
import io.shunt.ctl.openflow.OpenFlowClient;
import io.shunt.ctl.output.Output;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * shunt-ctl, the administrator's command line: configuration commands in
 * the spirit of ovs-vsctl over vswitchd's management socket, flow commands
 * in ovs-ofctl syntax over the bridge's OpenFlow listener.
 */
@Command(name = "shunt-ctl",
        mixinStandardHelpOptions = true,
        versionProvider = CtlVersion.class,
        usageHelpAutoWidth = true,
        description = {"Administer a shunt virtual switch: bridges, ports, controllers and settings through",
                "shunt-vswitchd's management socket; flows, groups, meters and statistics over OpenFlow 1.3."},
        subcommands = {
                BridgeCommands.AddBr.class, BridgeCommands.DelBr.class, BridgeCommands.ListBr.class,
                BridgeCommands.SetTrustDomain.class, BridgeCommands.GetTrustDomain.class,
                PortCommands.AddPort.class, PortCommands.DelPort.class, PortCommands.ListPorts.class,
                ControllerCommands.SetController.class, ControllerCommands.GetController.class,
                ControllerCommands.DelController.class, ControllerCommands.SetFailMode.class,
                ControllerCommands.GetFailMode.class,
                ShowCommand.class,
                SettingsCommands.SetPmd.class, SettingsCommands.SetDirectLinks.class,
                StatusCommands.Links.class, StatusCommands.PmdStats.class, StatusCommands.Counters.class,
                StatusCommands.Version.class,
                FlowCommands.AddFlow.class, FlowCommands.AddFlows.class, FlowCommands.ModFlows.class,
                FlowCommands.DelFlows.class, FlowCommands.DumpFlows.class,
                SwitchCommands.DumpPorts.class, SwitchCommands.DumpTables.class, SwitchCommands.PacketOut.class,
                GroupCommands.AddGroup.class, GroupCommands.DelGroups.class, GroupCommands.DumpGroups.class,
                MeterCommands.AddMeter.class, MeterCommands.DelMeters.class, MeterCommands.DumpMeters.class,
                CompletionCommand.class},
        footer = {"",
                "Exit status:",
                "  0  success",
                "  1  vswitchd refused the change (its reason is printed); nothing was changed",
                "  2  usage error: unknown command or option, bad argument, bad flow syntax",
                "  3  vswitchd not running, socket unreachable, or no answer within --timeout",
                "  4  the switch answered with an OpenFlow error (OFPT_ERROR type and code are printed)",
                "  5  this vswitchd does not support the request (it is older than shunt-ctl)",
                "  6  protocol error: an answer that makes no sense",
                "",
                "Examples:",
                "  shunt-ctl add-br br1",
                "  shunt-ctl add-port br1 vnf1 -- type=dpdkr",
                "  shunt-ctl add-flow br1 'priority=10,in_port=1,actions=output:2'",
                "  shunt-ctl dump-flows br1",
                "  shunt-ctl --format json show"})
public final class ShuntCtl implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--run-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            defaultValue = "${env:SHUNT_RUN_DIR:-/run/shunt}",
            description = "where vswitchd's sockets are (default: $SHUNT_RUN_DIR or /run/shunt; now ${DEFAULT-VALUE})")
    Path runDir;

    @Option(names = "--timeout", paramLabel = "SECONDS", scope = ScopeType.INHERIT, defaultValue = "10",
            description = "give up when vswitchd does not answer within this time (default: ${DEFAULT-VALUE})")
    double timeoutSeconds;

    @Option(names = "--format", paramLabel = "FORMAT", scope = ScopeType.INHERIT, defaultValue = "text",
            description = "output of read commands: text or json (default: ${DEFAULT-VALUE})")
    Output.Format format;

    public Path runDir() {
        return runDir;
    }

    public Duration timeout() throws CtlFailure {
        if (!(timeoutSeconds > 0) || timeoutSeconds > 86_400) {
            throw new CtlFailure(ExitCode.USAGE, "--timeout must be between 0 and 86400 seconds, not " + timeoutSeconds);
        }
        return Duration.ofNanos((long) (timeoutSeconds * 1e9));
    }

    public Output output() {
        return new Output(spec.commandLine().getOut(), format);
    }

    /** Calls one management method of vswitchd on a fresh connection. */
    public JsonNode call(String method, ObjectNode params) throws CtlFailure {
        try (ManagementClient client = ManagementClient.connect(runDir, timeout())) {
            return client.call(method, params);
        }
    }

    /**
     * Opens an OpenFlow connection to a bridge: {@code BRIDGE} means
     * {@code <run-dir>/BRIDGE.mgmt}; {@code unix:PATH} names a socket
     * directly, as ovs-ofctl accepts it.
     */
    public OpenFlowClient openflow(String bridge) throws CtlFailure {
        if (bridge.startsWith("unix:")) {
            Path path = Path.of(bridge.substring("unix:".length()));
            return OpenFlowClient.connect(path, "switch " + path, timeout());
        }
        if (bridge.isEmpty() || bridge.contains("/") || bridge.contains(":")) {
            throw new CtlFailure(ExitCode.USAGE, "'" + bridge + "' is not a bridge name (or unix:PATH)");
        }
        Path socket = runDir.resolve(bridge + ".mgmt");
        if (!java.nio.file.Files.exists(socket)) {
            refuseUnknownBridge(bridge);
        }
        return OpenFlowClient.connect(socket, "bridge " + bridge, timeout());
    }

    /**
     * A bridge's OpenFlow socket is missing: when vswitchd answers and has no
     * such bridge, say that (exit 1, as the configuration commands do) rather
     * than "no such socket"; when it does not answer, the connection attempt
     * that follows reports it unreachable (exit 3).
     */
    private void refuseUnknownBridge(String bridge) throws CtlFailure {
        JsonNode bridges;
        try {
            bridges = call("list-br", JsonNodeFactory.instance.objectNode());
        } catch (CtlFailure vswitchdNotThere) {
            return;
        }
        for (JsonNode name : bridges) {
            if (name.asText().equals(bridge)) {
                return;
            }
        }
        throw new CtlFailure(ExitCode.REFUSED, "no bridge named " + bridge + " (see 'shunt-ctl list-br')");
    }

    /** Runs shunt-ctl with {@code args}, writing to {@code out} and {@code err}; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new ShuntCtl());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOverwrittenOptionsAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CtlFailure failure) {
                // One line, whatever the message holds: scripts and logs read stderr line by line.
                err.println("shunt-ctl: " + failure.getMessage().replaceAll("\\s*\\R\\s*", " "));
                err.flush();
                return failure.exitCode();
            }
            err.println("shunt-ctl: internal error in " + commandLine.getCommandName() + ": " + e);
            err.flush();
            return ExitCode.PROTOCOL_ERROR;
        });
        cli.setParameterExceptionHandler((e, ignoredArgs) -> {
            CommandLine where = e.getCommandLine();
            String name = where.getCommandSpec().qualifiedName();
            String message = e.getMessage().lines().findFirst().orElse("usage error");
            err.println("shunt-ctl: " + message + " (see '" + name + " --help')");
            err.flush();
            return ExitCode.USAGE;
        });
        cli.setExitCodeExceptionMapper(t -> ExitCode.PROTOCOL_ERROR);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Invoked without a command: a one-line hint, usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("shunt-ctl: no command given (see 'shunt-ctl --help')");
        return ExitCode.USAGE;
    }

    public static void main(String[] args) {
        // Loxi pulls in Netty's buffers; without this Netty reaches for sun.misc.Unsafe and the JDK warns on stderr.
        System.setProperty("io.netty.noUnsafe", "true");
        // Our own logging configuration by name, so that another logback.xml on the classpath cannot replace it.
        System.setProperty("logback.configurationFile", "shunt-ctl-logback.xml");
        PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, out, err));
    }
}
