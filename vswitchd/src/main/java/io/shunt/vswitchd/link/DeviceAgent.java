package io.shunt.vswitchd.link;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Hands a link region to the VNF that owns a port, as a device (DESIGN §5): through the
 * compute agent's REST API (contract §3) or, without an agent, by telling the operator the
 * exact command. Calls return at once; the futures complete on another thread.
 */
public interface DeviceAgent {

    /** Plugs region file {@code region} as device {@code device} into the VNF owning {@code port}. */
    CompletableFuture<Void> plug(String port, String device, Path region);

    /** Unplugs device {@code device} from the VNF owning {@code port}. */
    CompletableFuture<Void> unplug(String port, String device);

    /** For logs and {@code links}: where the devices go. */
    String describe();
}
