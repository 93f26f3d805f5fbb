package io.shunt.datapath.port;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import io.shunt.datapath.region.NulPaddedString;

/**
 * The control block of one port region (layout: {@link PortRegionLayout}): which direct
 * link the port is part of and its state (for the guest shim and observers), and the
 * liveness of both sides. The per-direction protocol words are in the link region
 * ({@link LinkDirection}). Switch-side methods are called by vswitchd, VNF-side methods by
 * the guest shim; each side writes only its own block.
 *
 * <p>Memory order: the link generation is stored with release after the link region name,
 * and read with acquire before it; heartbeats are opaque (they only need to change
 * eventually). Values read here were written by the other party: callers compare them,
 * they never use one as an index without checking it.
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
    }

    // ---- switch side (vswitchd) ----

    /** Records the state of this port's link, for observers. */
    public void linkState(LinkState state) {
        INT.setRelease(control, (long) PortRegionLayout.LINK_STATE_OFFSET, state.code());
    }

    /** Announces that this port is part of link {@code generation}, whose region is {@code linkRegionName}. */
    public void announceLink(long generation, String linkRegionName) {
        NulPaddedString.write(control, PortRegionLayout.LINK_REGION_NAME_OFFSET, PortRegionLayout.NAME_LENGTH,
                linkRegionName);
        // Release: the name is visible before the generation that makes it current.
        LONG.setRelease(control, (long) PortRegionLayout.LINK_GENERATION_OFFSET, generation);
    }

    /** The port is part of no link any more. */
    public void clearLink() {
        LONG.setRelease(control, (long) PortRegionLayout.LINK_GENERATION_OFFSET, 0L);
    }

    public void beatSwitchHeartbeat() {
        LONG.setOpaque(control, (long) PortRegionLayout.SWITCH_HEARTBEAT_OFFSET,
                (long) LONG.getOpaque(control, (long) PortRegionLayout.SWITCH_HEARTBEAT_OFFSET) + 1);
    }

    public long vnfHeartbeat() {
        return (long) LONG.getOpaque(control, (long) PortRegionLayout.VNF_HEARTBEAT_OFFSET);
    }

    public long vnfPid() {
        return control.get(ValueLayout.JAVA_LONG, PortRegionLayout.VNF_PID_OFFSET);
    }

    /** Control version the VNF's shim speaks (0: none announced); read before {@link #vnfPid()}. */
    public int vnfControlVersion() {
        return (int) INT.getAcquire(control, (long) PortRegionLayout.VNF_CONTROL_VERSION_OFFSET);
    }

    public int vnfFeatures() {
        return control.get(ValueLayout.JAVA_INT, PortRegionLayout.VNF_FEATURES_OFFSET);
    }

    // ---- VNF side (guest shim) ----

    /** Announces the attached VNF: its pid (0 in a VM), then the control version it speaks (release). */
    public void announceVnf(long pid, int controlVersion, int features) {
        control.set(ValueLayout.JAVA_LONG, PortRegionLayout.VNF_PID_OFFSET, pid);
        control.set(ValueLayout.JAVA_INT, PortRegionLayout.VNF_FEATURES_OFFSET, features);
        INT.setRelease(control, (long) PortRegionLayout.VNF_CONTROL_VERSION_OFFSET, controlVersion);
    }

    public void beatVnfHeartbeat() {
        LONG.setOpaque(control, (long) PortRegionLayout.VNF_HEARTBEAT_OFFSET,
                (long) LONG.getOpaque(control, (long) PortRegionLayout.VNF_HEARTBEAT_OFFSET) + 1);
    }

    /** Generation of the link this port is part of (0: none); read before {@link #linkRegionName()}. */
    public long linkGeneration() {
        return (long) LONG.getAcquire(control, (long) PortRegionLayout.LINK_GENERATION_OFFSET);
    }

    /** Region name of that link ({@code null} if the field is corrupt). */
    public String linkRegionName() {
        return NulPaddedString.read(control, PortRegionLayout.LINK_REGION_NAME_OFFSET, PortRegionLayout.NAME_LENGTH);
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
