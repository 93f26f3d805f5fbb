package io.shunt.p2p;

/**
 * A point-to-point pair: both {@code A⇒B} and {@code B⇒A} hold. {@code forward.from()} is the
 * lower port number of the two (unsigned), so that each pair is listed once.
 */
public record DirectPathPair(DirectPath forward, DirectPath reverse) {
}
