package io.shunt.p2p.model;

import java.util.Objects;

/**
 * One flow entry, as the detector sees it.
 *
 * <p>{@code id} is the OpenFlow agent's own handle for the entry (stable for the entry's
 * life, unique in the bridge); it is not the OpenFlow cookie, which need not be unique.
 * A modify flow-mod keeps the id and replaces the instructions.
 *
 * @param id           the agent's unique handle for the entry
 * @param tableId      the flow table, 0..254
 * @param priority     the OpenFlow priority, 0..65535
 * @param match        the match, reduced by {@link MatchSummary}
 * @param instructions the instructions, reduced by {@link Instructions}
 * @param idleTimeout  the idle timeout in seconds (0: none); carried for the carrier's
 *                     consumer, expiry reaches the detector as a removal
 * @param hardTimeout  the hard timeout in seconds (0: none); as above
 */
public record FlowEntry(long id, int tableId, int priority, MatchSummary match, Instructions instructions,
                        int idleTimeout, int hardTimeout) {

    /** The highest flow-table id (OpenFlow 1.3 {@code OFPTT_MAX}). */
    public static final int MAX_TABLE_ID = 254;
    /** The highest OpenFlow priority. */
    public static final int MAX_PRIORITY = 0xffff;

    public FlowEntry {
        Objects.requireNonNull(match, () -> "match of flow entry " + id);
        Objects.requireNonNull(instructions, () -> "instructions of flow entry " + id);
        if (tableId < 0 || tableId > MAX_TABLE_ID) {
            throw new IllegalArgumentException("flow entry " + id + ": table id " + tableId + " is not in 0.." + MAX_TABLE_ID);
        }
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("flow entry " + id + ": priority " + priority + " is not in 0.." + MAX_PRIORITY);
        }
        if (instructions.gotoTable() != Instructions.NO_GOTO && instructions.gotoTable() <= tableId) {
            throw new IllegalArgumentException("flow entry " + id + " in table " + tableId + ": goto-table "
                    + instructions.gotoTable() + " must name a later table (OpenFlow 1.3 section 5.1)");
        }
        if (idleTimeout < 0 || idleTimeout > 0xffff || hardTimeout < 0 || hardTimeout > 0xffff) {
            throw new IllegalArgumentException("flow entry " + id + ": timeouts idle=" + idleTimeout + " hard="
                    + hardTimeout + " are not in 0..65535");
        }
    }

    /** An entry without timeouts. */
    public static FlowEntry of(long id, int tableId, int priority, MatchSummary match, Instructions instructions) {
        return new FlowEntry(id, tableId, priority, match, instructions, 0, 0);
    }

    @Override
    public String toString() {
        return "entry " + id + " table=" + tableId + " priority=" + priority + " " + match + " actions=" + instructions;
    }
}
