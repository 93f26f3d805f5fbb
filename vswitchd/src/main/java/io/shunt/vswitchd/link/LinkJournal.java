package io.shunt.vswitchd.link;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every link transition of a bridge: logged at once (one line: link, from, to, reason) and
 * the last {@link #CAPACITY} kept for the {@code link-events} management method. Written on
 * the bridge's control thread, read by management requests: synchronized, off every packet path.
 */
public final class LinkJournal {
    private static final Logger log = LoggerFactory.getLogger(LinkJournal.class);
    /** Transitions kept for {@code link-events}. */
    public static final int CAPACITY = 1024;

    private final String bridge;
    private final Clock clock;
    private final ArrayDeque<LinkTransition> recent = new ArrayDeque<>();
    private long total;

    public LinkJournal(String bridge, Clock clock) {
        this.bridge = bridge;
        this.clock = clock;
    }

    public synchronized LinkTransition record(String link, LinkPhase from, LinkPhase to, String reason) {
        LinkTransition t = new LinkTransition(link, from, to, reason, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        if (recent.size() == CAPACITY) {
            recent.removeFirst();
        }
        recent.addLast(t);
        total++;
        if (to == LinkPhase.FAILED || to == LinkPhase.RETRY_WAIT) {
            log.warn("bridge {}: link {}: {} -> {}: {}", bridge, link, from, to, reason);
        } else {
            log.info("bridge {}: link {}: {} -> {}: {}", bridge, link, from, to, reason);
        }
        return t;
    }

    /** The last {@code n} transitions, oldest first. */
    public synchronized List<LinkTransition> last(int n) {
        List<LinkTransition> all = new ArrayList<>(recent);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    public synchronized long total() {
        return total;
    }
}
