package io.shunt.ofproto.packetin;

/**
 * Packets held for controllers (the buffer_id of PACKET_IN, OF1.3 section
 * 7.4.1), in a ring of {@code n} slots: a new packet takes the oldest slot.
 * A buffer id is {@code slot | (generation << 16)}, so an id whose slot was
 * reused, or already consumed by a PACKET_OUT or FLOW_MOD, is recognised as
 * stale rather than releasing someone else's packet. Control thread only.
 */
public final class PacketBuffers {
    /** A buffered packet. */
    public record Buffered(byte[] frame, int inPort) {}

    private final byte[][] frames;
    private final int[] inPorts;
    private final int[] generation;
    private int next;

    public PacketBuffers(int n) {
        frames = new byte[n][];
        inPorts = new int[n];
        generation = new int[n];
    }

    public int capacity() {
        return frames.length;
    }

    /** Stores a frame; returns its buffer id. */
    public int store(byte[] frame, int inPort) {
        int slot = next;
        next = (next + 1) % frames.length;
        generation[slot] = (generation[slot] + 1) & 0x7fff;
        frames[slot] = frame;
        inPorts[slot] = inPort;
        return slot | (generation[slot] << 16);
    }

    /** Outcome of {@link #take}. */
    public enum Status { OK, UNKNOWN, EMPTY }

    /** Whether an id names a buffer that still holds its packet. */
    public Status status(int bufferId) {
        int slot = bufferId & 0xffff;
        if (slot >= frames.length || (bufferId >>> 16) != generation[slot]) return Status.UNKNOWN;
        return frames[slot] == null ? Status.EMPTY : Status.OK;
    }

    /** Removes and returns a buffered packet, or null (see {@link #status}). */
    public Buffered take(int bufferId) {
        if (status(bufferId) != Status.OK) return null;
        int slot = bufferId & 0xffff;
        Buffered b = new Buffered(frames[slot], inPorts[slot]);
        frames[slot] = null;
        return b;
    }
}
