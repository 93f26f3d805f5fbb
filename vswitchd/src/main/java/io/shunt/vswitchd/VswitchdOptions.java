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

    public Path stateDir() {
        return stateDir;
    }

    public Path runDir() {
        return runDir;
    }

    public Path regionDir() {
        return regionDir;
    }

    public Path configFile() {
        return stateDir.resolve("conf.json");
    }

    public Path managementSocket() {
        return runDir.resolve("shunt.ctl");
    }
}
