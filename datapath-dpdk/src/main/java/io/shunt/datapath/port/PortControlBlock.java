package io.shunt.datapath.port;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import io.shunt.datapath.region.NulPaddedString;

/**
 * The direct-link control block of one port region (layout: {@link PortRegionLayout}),
 * with one method per protocol step of DESIGN.md sections 4.2 and 4.3. Switch-side
 * methods are called by vswitchd, VNF-side methods by the guest shim; each side writes
 * only its own block.
 *
 * <p>Memory order: a request or acknowledgement word is the last thing a step writes
 * (release) and the first thing the other side reads (acquire), so the words written
 * before it (ring ids, the fence position) are visible once it is. Heartbeats are opaque:
 * they only need to change eventually.
 *
 * <p>Values read here were written by the other party: callers compare generations for
 * equality and never use a value as an index without checking it.
 */
public final class PortControlBlock {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment control;

    PortControlBlock(MemorySegment control) {
        this.control = control;
    }

    static void format(MemorySegment control) {
        control.fill((byte) 0);
        control.set(ValueLayout.JAVA_INT, PortRegionLayout.CONTROL_VERSION_OFFSET, PortRegionLayout.CONTROL_VERSION);
        control.set(ValueLayout.JAVA_INT, PortRegionLayout.LINK_TX_RING_OFFSET, -1);
        control.set(ValueLayout.JAVA_INT, PortRegionLayout.LINK_RX_RING_OFFSET, -1);
    }

    // ---- switch side (vswitchd) ----

    /** Records the state of this port's link, for observers. */
    public void linkState(LinkState state) {
        INT.setRelease(control, (long) PortRegionLayout.LINK_STATE_OFFSET, state.code());
    }

    /**
     * Step 2 of section 4.2, switch half: names link {@code generation} (its region and the
     * ring this VNF will transmit on and receive from), then raises the request.
     */
    public void requestTxLink(long generation, String linkRegionName, int txRing, int rxRing) {
        NulPaddedString.write(control, PortRegionLayout.LINK_REGION_NAME_OFFSET, PortRegionLayout.NAME_LENGTH,
                linkRegionName);
        control.set(ValueLayout.JAVA_INT, PortRegionLayout.LINK_TX_RING_OFFSET, txRing);
        control.set(ValueLayout.JAVA_INT, PortRegionLayout.LINK_RX_RING_OFFSET, rxRing);
        control.set(ValueLayout.JAVA_LONG, PortRegionLayout.LINK_GENERATION_OFFSET, generation);
        // Release: the name and ring ids above are visible before the request.
        LONG.setRelease(control, (long) PortRegionLayout.TX_LINK_REQUEST_OFFSET, generation);
    }

    /** Section 4.3: asks the VNF to transmit on its tx ring again. */
    public void requestTxRevert(long generation) {
        LONG.setRelease(control, (long) PortRegionLayout.TX_REVERT_REQUEST_OFFSET, generation);
    }

    /**
     * Step 3 of section 4.2: this port's rx producer position after the last packet of the
     * peer that came through the switch. Written by the thread that enqueued that packet.
     */
    public void publishRxFence(long generation, long rxPosition) {
        control.set(ValueLayout.JAVA_LONG, PortRegionLayout.RX_FENCE_OFFSET, rxPosition);
        // Release: the position is visible before the generation that validates it.
        LONG.setRelease(control, (long) PortRegionLayout.RX_FENCE_GENERATION_OFFSET, generation);
    }

    public void beatSwitchHeartbeat() {
        LONG.setOpaque(control, (long) PortRegionLayout.SWITCH_HEARTBEAT_OFFSET,
                (long) LONG.getOpaque(control, (long) PortRegionLayout.SWITCH_HEARTBEAT_OFFSET) + 1);
    }

    public long txLinkAck() {
        return (long) LONG.getAcquire(control, (long) PortRegionLayout.TX_LINK_ACK_OFFSET);
    }

    public long txRevertAck() {
        return (long) LONG.getAcquire(control, (long) PortRegionLayout.TX_REVERT_ACK_OFFSET);
    }

    public long rxFenceAck() {
        return (long) LONG.getAcquire(control, (long) PortRegionLayout.RX_FENCE_ACK_OFFSET);
    }

    public long rxLinkReleaseAck() {
        return (long) LONG.getAcquire(control, (long) PortRegionLayout.RX_LINK_RELEASE_ACK_OFFSET);
    }

    public long vnfHeartbeat() {
        return (long) LONG.getOpaque(control, (long) PortRegionLayout.VNF_HEARTBEAT_OFFSET);
    }

    public long vnfPid() {
        return (long) LONG.getOpaque(control, (long) PortRegionLayout.VNF_PID_OFFSET);
    }

    public int vnfControlVersion() {
        return (int) INT.getAcquire(control, (long) PortRegionLayout.VNF_CONTROL_VERSION_OFFSET);
    }

    // ---- VNF side (guest shim) ----

    /** Announces the attached VNF: its pid (0 in a VM) and the control version it speaks. */
    public void announceVnf(long pid, int controlVersion, int features) {
        control.set(ValueLayout.JAVA_LONG, PortRegionLayout.VNF_PID_OFFSET, pid);
        control.set(ValueLayout.JAVA_INT, PortRegionLayout.VNF_FEATURES_OFFSET, features);
        INT.setRelease(control, (long) PortRegionLayout.VNF_CONTROL_VERSION_OFFSET, controlVersion);
    }

    public long txLinkRequest() {
        return (long) LONG.getAcquire(control, (long) PortRegionLayout.TX_LINK_REQUEST_OFFSET);
    }

    public long txRevertRequest() {
        return (long) LONG.getAcquire(control, (long) PortRegionLayout.TX_REVERT_REQUEST_OFFSET);
    }

    /** Link region name of the current request ({@code null} if the field is corrupt). */
    public String linkRegionName() {
        return NulPaddedString.read(control, PortRegionLayout.LINK_REGION_NAME_OFFSET, PortRegionLayout.NAME_LENGTH);
    }

    public int linkTxRing() {
        return control.get(ValueLayout.JAVA_INT, PortRegionLayout.LINK_TX_RING_OFFSET);
    }

    public int linkRxRing() {
        return control.get(ValueLayout.JAVA_INT, PortRegionLayout.LINK_RX_RING_OFFSET);
    }

    public long linkGeneration() {
        return control.get(ValueLayout.JAVA_LONG, PortRegionLayout.LINK_GENERATION_OFFSET);
    }

    /** Generation of the published fence (read this first, then {@link #rxFence()}). */
    public long rxFenceGeneration() {
        return (long) LONG.getAcquire(control, (long) PortRegionLayout.RX_FENCE_GENERATION_OFFSET);
    }

    public long rxFence() {
        return control.get(ValueLayout.JAVA_LONG, PortRegionLayout.RX_FENCE_OFFSET);
    }

    public void ackTxLink(long generation) {
        LONG.setRelease(control, (long) PortRegionLayout.TX_LINK_ACK_OFFSET, generation);
    }

    public void ackTxRevert(long generation) {
        LONG.setRelease(control, (long) PortRegionLayout.TX_REVERT_ACK_OFFSET, generation);
    }

    public void ackRxFence(long generation) {
        LONG.setRelease(control, (long) PortRegionLayout.RX_FENCE_ACK_OFFSET, generation);
    }

    public void ackRxLinkRelease(long generation) {
        LONG.setRelease(control, (long) PortRegionLayout.RX_LINK_RELEASE_ACK_OFFSET, generation);
    }

    public void beatVnfHeartbeat() {
        LONG.setOpaque(control, (long) PortRegionLayout.VNF_HEARTBEAT_OFFSET,
                (long) LONG.getOpaque(control, (long) PortRegionLayout.VNF_HEARTBEAT_OFFSET) + 1);
    }

    // ---- both ----

    public int controlVersion() {
        return control.get(ValueLayout.JAVA_INT, PortRegionLayout.CONTROL_VERSION_OFFSET);
    }

    /** The state code as stored ({@code null} if it is no {@link LinkState}). */
    public LinkState linkState() {
        return LinkState.fromCode((int) INT.getAcquire(control, (long) PortRegionLayout.LINK_STATE_OFFSET));
    }

    public long switchHeartbeat() {
        return (long) LONG.getOpaque(control, (long) PortRegionLayout.SWITCH_HEARTBEAT_OFFSET);
    }
}
