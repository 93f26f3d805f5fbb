package io.shunt.vswitchd.link;

import io.shunt.datapath.device.DeviceDirectoryLayout;
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
        Optional<String> vnf = vnfOwning(port);
        if (vnf.isEmpty()) {
            return CompletableFuture.failedFuture(new PlugException("no compute agent configured (--agent-url), and no VNF"
                    + " has registered port " + port + " under " + deviceRoot + " (<vnf>/ports/" + port + ")", true));
        }
        Path entry = DeviceDirectoryLayout.deviceEntry(deviceRoot, vnf.get(), device);
        try {
            if (Files.isSymbolicLink(entry) && Files.readSymbolicLink(entry).equals(region.toAbsolutePath())) {
                return CompletableFuture.completedFuture(null);
            }
        } catch (IOException e) {
            // not readable: ask for the command again
        }
        Path tmp = DeviceDirectoryLayout.temporaryDeviceEntry(deviceRoot, vnf.get(), device);
        return CompletableFuture.failedFuture(new PlugException("no compute agent configured (--agent-url); to plug "
                + device + " into the VNF of port " + port + " by hand run: mkdir -p " + entry.getParent()
                + " && ln -sfn " + region.toAbsolutePath() + " " + tmp + " && mv -T " + tmp + " " + entry, true));
    }

    @Override
    public CompletableFuture<Void> unplug(String port, String device) {
        Optional<String> vnf = vnfOwning(port);
        if (vnf.isPresent()) {
            Path entry = DeviceDirectoryLayout.deviceEntry(deviceRoot, vnf.get(), device);
            if (Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
                return CompletableFuture.failedFuture(new PlugException("no compute agent configured (--agent-url); to"
                        + " unplug " + device + " from the VNF of port " + port + " by hand run: rm " + entry));
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** The vnf-id whose {@code ports/<port>} entry exists. */
    private Optional<String> vnfOwning(String port) {
        if (!Files.isDirectory(deviceRoot)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> vnfs = Files.newDirectoryStream(deviceRoot)) {
            for (Path vnf : vnfs) {
                String id = vnf.getFileName().toString();
                if (Files.exists(DeviceDirectoryLayout.portEntry(deviceRoot, id, port), LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.of(id);
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
