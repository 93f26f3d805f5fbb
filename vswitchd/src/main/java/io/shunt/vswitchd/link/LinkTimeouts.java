package io.shunt.vswitchd.link;

import java.time.Duration;

/**
 * How long the link manager waits for the parties of a direct link before it gives up on a
 * step (docs/link-manager.md, state machine). The defaults suit process VNFs; a cold VM guest
 * may need longer ({@code shunt-vswitchd --link-step-timeout}, {@code --link-plug-timeout}).
 *
 * @param plug longest wait for both plugs (PLUGGING → RETRY_WAIT)
 * @param step longest wait for one protocol step of live VNFs: tx_ack, fence, rx_state while
 *             establishing (→ REVERTING), closed while reverting (→ FAILED)
 */
public record LinkTimeouts(Duration plug, Duration step) {
    public static final Duration DEFAULT_PLUG = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(5);

    public LinkTimeouts {
        if (plug == null || step == null || plug.isNegative() || plug.isZero() || step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("link timeouts must be positive: plug " + plug + ", step " + step);
        }
    }

    public static LinkTimeouts defaults() {
        return new LinkTimeouts(DEFAULT_PLUG, DEFAULT_STEP);
    }

    long plugNanos() {
        return plug.toNanos();
    }

    long stepNanos() {
        return step.toNanos();
    }
}
