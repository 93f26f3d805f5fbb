package io.shunt.ofproto.channel;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the OpenFlow channels of one bridge, with Open vSwitch's
 * defaults where OVS has one.
 *
 * @param versions            the versions offered in HELLO
 * @param inactivityProbe     idle time after which an ECHO_REQUEST is sent; the
 *                            connection is dropped when another such interval
 *                            passes without a byte from the peer (OVS
 *                            {@code inactivity_probe}, default 5 s); zero disables
 * @param initialBackoff      first delay before reconnecting to an active controller
 * @param maxBackoff          the doubling back-off stops here (OVS {@code max_backoff}, default 8 s)
 * @param connectTimeout      TCP connect timeout of active connections
 * @param writeLowWaterMark   pending output below which a connection is writable again
 * @param writeHighWaterMark  pending output above which the connection stops
 *                            reading requests and drops asynchronous messages
 */
public record ChannelSettings(
        OfVersions versions,
        Duration inactivityProbe,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration connectTimeout,
        int writeLowWaterMark,
        int writeHighWaterMark) {

    public ChannelSettings {
        Objects.requireNonNull(versions, "versions");
        if (inactivityProbe.isNegative() || initialBackoff.isNegative() || initialBackoff.isZero()
                || maxBackoff.compareTo(initialBackoff) < 0 || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("invalid channel durations: probe=" + inactivityProbe
                    + " initialBackoff=" + initialBackoff + " maxBackoff=" + maxBackoff + " connectTimeout=" + connectTimeout);
        }
        if (writeLowWaterMark <= 0 || writeHighWaterMark < writeLowWaterMark) {
            throw new IllegalArgumentException("write water marks must satisfy 0 < low <= high, got low="
                    + writeLowWaterMark + " high=" + writeHighWaterMark);
        }
    }

    public static ChannelSettings defaults() {
        return new ChannelSettings(OfVersions.all(), Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofSeconds(8), Duration.ofSeconds(5), 1 << 20, 4 << 20);
    }

    public ChannelSettings withVersions(OfVersions v) {
        return new ChannelSettings(v, inactivityProbe, initialBackoff, maxBackoff, connectTimeout,
                writeLowWaterMark, writeHighWaterMark);
    }

    public ChannelSettings withInactivityProbe(Duration d) {
        return new ChannelSettings(versions, d, initialBackoff, maxBackoff, connectTimeout,
                writeLowWaterMark, writeHighWaterMark);
    }

    public ChannelSettings withBackoff(Duration initial, Duration max) {
        return new ChannelSettings(versions, inactivityProbe, initial, max, connectTimeout,
                writeLowWaterMark, writeHighWaterMark);
    }

    public ChannelSettings withWriteWaterMarks(int low, int high) {
        return new ChannelSettings(versions, inactivityProbe, initialBackoff, maxBackoff, connectTimeout, low, high);
    }
}
