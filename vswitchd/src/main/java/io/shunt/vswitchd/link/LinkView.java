package io.shunt.vswitchd.link;

import java.util.List;

/** What {@code links} shows of one link (contract §4): an immutable snapshot. */
public record LinkView(String name, long generation, boolean pair, String state, long ageMillis,
                       List<DirectionView> directions, LinkTransition lastTransition, String error) {

    public record DirectionView(String from, String to, int fromOfport, int toOfport, String state, long packets,
                                long bytes) {
    }
}
