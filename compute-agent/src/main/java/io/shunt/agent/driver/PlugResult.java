package io.shunt.agent.driver;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a plug did.
 *
 * @param owner          the VNF the device went into
 * @param device         the device (link region) name
 * @param region         the region file
 * @param alreadyPlugged true if the same device and region were plugged before (nothing changed)
 */
public record PlugResult(PortOwner owner, String device, Path region, boolean alreadyPlugged) {
    public PlugResult {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(region, "region");
    }
}
