package io.shunt.vswitchd;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of shunt-vswitchd. */
@Command(name = "shunt-vswitchd", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"The shunt virtual switch daemon.",
                "Restores its configuration from the state directory (one bridge br0 when there is none),",
                "listens for shunt-ctl on <run-dir>/shunt.ctl and for OpenFlow tools on <run-dir>/<bridge>.mgmt."},
        footer = {"", "Example:", "  shunt-vswitchd --state-dir /var/lib/shunt --run-dir /run/shunt"})
public final class VswitchdOptions {

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where the configuration is kept (default: ${DEFAULT-VALUE})")
    Path stateDir = Path.of("/var/lib/shunt");

    @Option(names = "--run-dir", paramLabel = "DIR", description = "where the sockets are created (default: ${DEFAULT-VALUE})")
    Path runDir = Path.of("/run/shunt");

    @Option(names = "--region-dir", paramLabel = "DIR",
            description = "where shared-memory region files are created: /dev/shm or a hugetlbfs mount (default: ${DEFAULT-VALUE})")
    Path regionDir = Path.of("/dev/shm");

    @Option(names = "--region-group", paramLabel = "GROUP",
            description = "group given to every region file (mode rw-rw----); libvirt-qemu when VNFs run in QEMU"
                    + " guests, which open their <shmem> devices as that user (default: the creator's group)")
    String regionGroup;

    @Option(names = "--agent-url", paramLabel = "URL",
            description = "the compute agent that plugs link devices into VNFs, e.g. http://127.0.0.1:6680;"
                    + " without it, the exact manual command is logged and paths stay on the switch")
    java.net.URI agentUrl;

    @Option(names = "--agent-token-file", paramLabel = "FILE",
            description = "the file holding the compute agent's bearer token (default: <state-dir>/agent-token)")
    Path agentTokenFile;

    @Option(names = "--device-root", paramLabel = "DIR",
            description = "the process VNFs' device directory, for the manual plug commands (default: <region-dir>/shunt-devices)")
    Path deviceRoot;

    @Option(names = "--link-step-timeout", paramLabel = "MILLIS",
            description = "longest wait, in ms, for one protocol step of a direct link's live VNFs (tx_ack, fence,"
                    + " rx_state, closed) before the link is reverted or shown FAILED; raise it for cold VM guests"
                    + " (default: 5000)")
    long linkStepTimeoutMillis = io.shunt.vswitchd.link.LinkTimeouts.DEFAULT_STEP.toMillis();

    @Option(names = "--link-plug-timeout", paramLabel = "MILLIS",
            description = "longest wait, in ms, for the compute agent to plug both VNFs of a link (default: 10000)")
    long linkPlugTimeoutMillis = io.shunt.vswitchd.link.LinkTimeouts.DEFAULT_PLUG.toMillis();

    /** The link manager's timeouts ({@code --link-step-timeout}, {@code --link-plug-timeout}). */
    public io.shunt.vswitchd.link.LinkTimeouts linkTimeouts() {
        return new io.shunt.vswitchd.link.LinkTimeouts(java.time.Duration.ofMillis(linkPlugTimeoutMillis),
                java.time.Duration.ofMillis(linkStepTimeoutMillis));
    }

    public java.net.URI agentUrl() {
        return agentUrl;
    }

    public Path agentTokenFile() {
        return agentTokenFile != null ? agentTokenFile : stateDir.resolve("agent-token");
    }

    public Path deviceRoot() {
        return io.shunt.datapath.device.DeviceDirectoryLayout.resolveRoot(deviceRoot, System.getenv(), regionDir);
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path runDir() {
        return runDir;
    }

    public Path regionDir() {
        return regionDir;
    }

    /** Where and how regions are created: {@link #regionDir()}, mode rw-rw----, group {@code --region-group}. */
    public io.shunt.datapath.region.RegionOptions regionOptions() {
        io.shunt.datapath.region.RegionOptions options = io.shunt.datapath.region.RegionOptions.in(regionDir);
        return regionGroup == null ? options : options.withOwner(null, regionGroup);
    }

    public Path configFile() {
        return stateDir.resolve("conf.json");
    }

    public Path managementSocket() {
        return runDir.resolve("shunt.ctl");
    }
}
