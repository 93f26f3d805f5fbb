package io.shunt.vswitchd.link;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * No compute agent is configured: a plug cannot happen automatically, so it fails with the
 * exact commands that would do it by hand in the process device directory (contract §1:
 * {@code ln -s} to a temporary name, then {@code mv} onto {@code devices/<dev>}, atomic),
 * and the path stays on the switch. When the link is retried and the operator has run the
 * command, the entry is there and the plug succeeds.
 */
public final class ManualDevicePlugging implements DeviceAgent {
    private final Path deviceRoot;

    public ManualDevicePlugging(Path deviceRoot) {
        this.deviceRoot = deviceRoot;
    }

    @Override
    public CompletableFuture<Void> plug(String port, String device, Path region) {
        Optional<Path> vnf = vnfOwning(port);
        if (vnf.isEmpty()) {
            return CompletableFuture.failedFuture(new PlugException("no compute agent configured (--agent-url), and no VNF"
                    + " has registered port " + port + " under " + deviceRoot + " (ports/" + port + ")"));
        }
        Path devices = vnf.get().resolve("devices");
        Path entry = devices.resolve(device);
        try {
            if (Files.isSymbolicLink(entry) && Files.readSymbolicLink(entry).equals(region.toAbsolutePath())) {
                return CompletableFuture.completedFuture(null);
            }
        } catch (IOException e) {
            // not readable: ask for the command again
        }
        Path tmp = devices.resolve("." + device + ".tmp");
        return CompletableFuture.failedFuture(new PlugException("no compute agent configured (--agent-url); to plug "
                + device + " into the VNF of port " + port + " by hand run: mkdir -p " + devices + " && ln -sfn "
                + region.toAbsolutePath() + " " + tmp + " && mv -T " + tmp + " " + entry));
    }

    @Override
    public CompletableFuture<Void> unplug(String port, String device) {
        Optional<Path> vnf = vnfOwning(port);
        if (vnf.isPresent() && Files.exists(vnf.get().resolve("devices").resolve(device), LinkOption.NOFOLLOW_LINKS)) {
            return CompletableFuture.failedFuture(new PlugException("no compute agent configured (--agent-url); to unplug "
                    + device + " from the VNF of port " + port + " by hand run: rm "
                    + vnf.get().resolve("devices").resolve(device)));
        }
        return CompletableFuture.completedFuture(null);
    }

    /** The {@code <device-root>/<vnf-id>} directory whose {@code ports/<port>} entry exists. */
    private Optional<Path> vnfOwning(String port) {
        if (!Files.isDirectory(deviceRoot)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> vnfs = Files.newDirectoryStream(deviceRoot)) {
            for (Path vnf : vnfs) {
                if (Files.exists(vnf.resolve("ports").resolve(port), LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.of(vnf);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "no compute agent (manual plugging in " + deviceRoot + ")";
    }
}
