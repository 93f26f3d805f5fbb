package io.shunt.vswitchd.link;

import java.time.Instant;

/** One state change of one link: what the log line says and what {@code links}/{@code link-events} show. */
public record LinkTransition(String link, LinkPhase from, LinkPhase to, String reason, Instant at) {
    @Override
    public String toString() {
        return "link " + link + ": " + from + " -> " + to + " (" + reason + ")";
    }
}
