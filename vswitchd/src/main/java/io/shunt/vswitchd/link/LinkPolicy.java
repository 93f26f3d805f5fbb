package io.shunt.vswitchd.link;

import java.util.Set;

/**
 * Whether direct links may be used: switch-wide (config {@code direct-links}) and per port
 * (config {@code port ... direct-links false} is an opt-out). Both ends of a path must allow it.
 */
public record LinkPolicy(boolean enabled, Set<String> optedOut) {
    public LinkPolicy {
        optedOut = Set.copyOf(optedOut);
    }

    public static LinkPolicy allEnabled() {
        return new LinkPolicy(true, Set.of());
    }

    boolean allows(String port) {
        return enabled && !optedOut.contains(port);
    }
}
