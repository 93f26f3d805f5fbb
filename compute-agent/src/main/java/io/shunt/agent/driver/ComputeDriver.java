package io.shunt.agent.driver;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One way of running VNFs (host processes, libvirt domains, ...): it knows which VNF owns a
 * port and how to hand that VNF a region as a device. The agent asks every driver in turn;
 * a port is owned by at most one VNF of one driver.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Every method may be called from several HTTP threads at once; the agent serialises
 *       {@link #plug} and {@link #unplug} of one port, nothing else.</li>
 *   <li>Nothing is cached across calls unless the driver can tell it is still true: a VNF may
 *       die, a domain may be shut off, at any time. {@link #owner} is asked again for every
 *       request.</li>
 *   <li>{@link #plug} is idempotent: the same device with the same region again succeeds with
 *       {@link PlugResult#alreadyPlugged()} set; the same device with another region fails
 *       with {@link DriverException.Kind#CONFLICT}. It returns once the device is visible to
 *       the VNF's guest shim (process: the entry exists; libvirt: {@code attachDeviceFlags}
 *       returned).</li>
 *   <li>{@link #unplug} of a device that is not plugged fails with
 *       {@link DriverException.Kind#NOT_FOUND}. For libvirt, detaching completes when the guest
 *       releases the device; the driver reports that through
 *       {@link DeviceListener#deviceRemoved}.</li>
 *   <li>Failures are {@link DriverException}s whose message is one sentence naming the port,
 *       VNF and device, and whose kind maps to an HTTP status.</li>
 * </ul>
 *
 * <h2>libvirt (issue 9)</h2>
 * {@link #owner}: the domain whose XML holds a {@code <shmem>} whose name is the port's region
 * name ({@code shunt-port-<port>}); {@link #plug}: {@code attachDeviceFlags(LinkDevice.shmemXml(),
 * VIR_DOMAIN_AFFECT_LIVE)}; {@link #unplug}: {@code detachDeviceFlags} with the same XML;
 * {@link #devices}: the domains' {@code <shmem>} elements named {@code shunt-link-*};
 * {@link #watch}: libvirt's device-removed domain event; libvirtd unreachable maps to
 * {@link DriverException.Kind#UNAVAILABLE}, a domain shut off to {@code NOT_FOUND}.
 */
public interface ComputeDriver extends AutoCloseable {
    /** Short name reported in the API ({@code process}, {@code libvirt}). */
    String name();

    /** Every port owned by a live VNF of this driver. */
    List<PortOwner> ports() throws DriverException;

    /** The live VNF of this driver that owns {@code port}, if any. */
    Optional<PortOwner> owner(String port) throws DriverException;

    /**
     * Plugs the link region in {@code region} (already validated by the agent as a link region
     * named {@code device}) into {@code owner}'s VNF as device {@code device}.
     */
    PlugResult plug(PortOwner owner, String device, Path region) throws DriverException;

    /** Removes device {@code device} from {@code owner}'s VNF. */
    void unplug(PortOwner owner, String device) throws DriverException;

    /** Every device plugged into a live VNF of this driver, one entry per (port, device). */
    List<PluggedDevice> devices() throws DriverException;

    /**
     * Starts reporting devices that go away other than by {@link #unplug} returning: the VNF
     * died or unregistered, the guest ejected the device, a libvirt detach completed. Called
     * once, before the agent serves requests.
     */
    void watch(DeviceListener listener);

    /** Stops watching and releases what the driver holds (connections, threads). */
    @Override
    void close();

    /** Receives the device events of a driver. */
    @FunctionalInterface
    interface DeviceListener {
        /** {@code device} is gone from its VNF, for {@code reason} (one sentence). */
        void deviceRemoved(PluggedDevice device, String reason);
    }
}
