package io.shunt.vnf;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-flow order check of a sink: for each flow, the next sequence number expected and a
 * 64-bit window of which of the 64 numbers below it arrived. With that, every arrival is
 * exactly one of:
 * <ul>
 * <li>in order ({@code seq == expected});</li>
 * <li>ahead ({@code seq > expected}): the numbers skipped are counted as lost, for now;</li>
 * <li>late, inside the window and not seen: a reordered packet, which un-counts one loss;</li>
 * <li>late, inside the window and already seen: a duplicate;</li>
 * <li>later than the window: counted as reordered and un-counts a loss too, though it could
 *     also be a duplicate of a packet that old (the window cannot tell); counted apart as
 *     {@code late}.</li>
 * </ul>
 * Arrays are sized once for {@code maxFlows} flows; flow numbers read from a frame are
 * untrusted and checked before use. No allocation per packet.
 */
final class FlowTracker {
    private static final int WINDOW = 64;

    private final int maxFlows;
    private final long[] expected;
    private final long[] window;
    private final long[] received;
    private final long[] lost;
    private final long[] duplicated;
    private final long[] reordered;
    private final long[] late;
    private int flowsSeen;
    long unknownFlows;

    FlowTracker(int maxFlows) {
        this.maxFlows = maxFlows;
        this.expected = new long[maxFlows];
        this.window = new long[maxFlows];
        this.received = new long[maxFlows];
        this.lost = new long[maxFlows];
        this.duplicated = new long[maxFlows];
        this.reordered = new long[maxFlows];
        this.late = new long[maxFlows];
    }

    /** Records the arrival of {@code sequence} on {@code flow}. */
    void record(int flow, long sequence) {
        if (Integer.compareUnsigned(flow, maxFlows) >= 0 || sequence < 0) {
            unknownFlows++;
            return;
        }
        if (received[flow]++ == 0) {
            flowsSeen++;
        }
        long next = expected[flow];
        if (sequence == next) {
            window[flow] = (window[flow] << 1) | 1;
            expected[flow] = next + 1;
        } else if (sequence > next) {
            long skipped = sequence - next;
            lost[flow] += skipped;
            // Shift in the skipped numbers (not seen) and then this one (seen).
            window[flow] = skipped >= WINDOW ? 1 : (window[flow] << (skipped + 1)) | 1;
            expected[flow] = sequence + 1;
        } else {
            long age = next - 1 - sequence;     // 0: the number just below expected
            if (age < WINDOW) {
                long bit = 1L << age;
                if ((window[flow] & bit) != 0) {
                    duplicated[flow]++;
                } else {
                    window[flow] |= bit;
                    reordered[flow]++;
                    lost[flow]--;
                }
            } else {
                late[flow]++;
                reordered[flow]++;
                lost[flow]--;
            }
        }
    }

    long received() {
        return sum(received);
    }

    long lost() {
        return sum(lost);
    }

    long duplicated() {
        return sum(duplicated);
    }

    long reordered() {
        return sum(reordered);
    }

    long late() {
        return sum(late);
    }

    int flowsSeen() {
        return flowsSeen;
    }

    /** One flow's counters in the summary. */
    record FlowSummary(int flow, long received, long lastSequence, long lost, long duplicated, long reordered,
                       long late) {
    }

    /** Counters of every flow that received something (allocates: at the end only). */
    List<FlowSummary> flows() {
        List<FlowSummary> list = new ArrayList<>();
        for (int f = 0; f < maxFlows; f++) {
            if (received[f] > 0) {
                list.add(new FlowSummary(f, received[f], expected[f] - 1, lost[f], duplicated[f], reordered[f],
                        late[f]));
            }
        }
        return list;
    }

    private static long sum(long[] values) {
        long total = 0;
        for (long v : values) {
            total += v;
        }
        return total;
    }
}
