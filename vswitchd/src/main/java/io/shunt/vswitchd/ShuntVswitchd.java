package io.shunt.vswitchd;

import io.shunt.vswitchd.bridge.Bridges;
import io.shunt.vswitchd.bridge.Bridge;
import io.shunt.vswitchd.bridge.EngineMethods;
import io.shunt.vswitchd.bridge.LinkMethods;
import io.shunt.vswitchd.link.DeviceAgent;
import io.shunt.vswitchd.link.ManualDevicePlugging;
import io.shunt.vswitchd.link.RestDeviceAgent;
import io.shunt.vswitchd.hostport.HostPortCheck;
import java.nio.file.Files;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.vswitchd.config.ConfigDatabase;
import io.shunt.vswitchd.config.ConfigException;
import io.shunt.vswitchd.config.ConfigStore;
import io.shunt.vswitchd.mgmt.ConfigMethods;
import io.shunt.vswitchd.mgmt.ManagementServer;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * shunt-vswitchd: restores the configuration, opens the management socket
 * and runs until SIGTERM/SIGINT.
 */
public final class ShuntVswitchd implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShuntVswitchd.class);

    private final VswitchdOptions options;
    private final ConfigDatabase config;
    private final ManagementServer management;
    private final Bridges bridges;

    public ShuntVswitchd(VswitchdOptions options) throws ConfigException {
        this.options = options;
        this.config = new ConfigDatabase(new ConfigStore(options.configFile()));
        config.addPortCheck(new HostPortCheck());
        this.management = new ManagementServer(options.managementSocket());
        new ConfigMethods(config).registerOn(management);
        DeviceAgent devices;
        if (options.agentUrl() != null) {
            RestDeviceAgent agent = new RestDeviceAgent(options.agentUrl(), options.agentTokenFile());
            agent.warmUp();
            devices = agent;
        } else {
            devices = new ManualDevicePlugging(options.deviceRoot());
        }
        this.bridges = new Bridges(options.runDir(), options.regionOptions(), new Bridge.LinkSettings(true, devices, options.linkTimeouts()));
        new EngineMethods(bridges).registerOn(management);
        new LinkMethods(bridges).registerOn(management);
        management.register("version", p -> {
            ObjectNode v = JsonNodeFactory.instance.objectNode();
            v.put("shunt", Version.string());
            v.put("java", Runtime.version().toString());
            return v;
        });
    }

    public void start() throws IOException {
        Files.createDirectories(options.runDir());
        Files.createDirectories(options.regionDir());
        try {
            bridges.start(config.current());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the bridges", e);
        }
        config.addListener(bridges);
        management.start();
        log.info("shunt-vswitchd {} started: config {}, management {}", Version.string(),
                options.configFile(), options.managementSocket());
    }

    public Bridges bridges() {
        return bridges;
    }

    public ConfigDatabase config() {
        return config;
    }

    @Override
    public void close() throws IOException {
        management.close();
        bridges.close();
    }

    public static void main(String[] args) {
        VswitchdOptions options = new VswitchdOptions();
        CommandLine cli = new CommandLine(options);
        try {
            cli.parseArgs(args);
            options.linkTimeouts();
        } catch (IllegalArgumentException e) {
            System.err.println("shunt-vswitchd: --link-step-timeout/--link-plug-timeout: " + e.getMessage());
            System.exit(2);
            return;
        } catch (CommandLine.ParameterException e) {
            System.err.println("shunt-vswitchd: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(System.out);
            return;
        }
        if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(System.out);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            ShuntVswitchd daemon = new ShuntVswitchd(options);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                try {
                    daemon.close();
                } catch (IOException e) {
                    log.warn("shutdown: {}", e.getMessage());
                }
                stopped.countDown();
            }));
            daemon.start();
            stopped.await();
        } catch (ConfigException e) {
            System.err.println("shunt-vswitchd: " + e.getMessage());
            System.exit(1);
        } catch (IOException e) {
            System.err.println("shunt-vswitchd: cannot start: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
