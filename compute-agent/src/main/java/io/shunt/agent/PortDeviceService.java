package io.shunt.agent;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shunt.agent.client.AgentWire;
import io.shunt.agent.driver.ComputeDriver;
import io.shunt.agent.driver.DriverException;
import io.shunt.agent.driver.PlugResult;
import io.shunt.agent.driver.PluggedDevice;
import io.shunt.agent.driver.PortOwner;
import io.shunt.datapath.device.DeviceDirectoryLayout;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionNames;
import io.shunt.datapath.region.RegionFormatException;
import io.shunt.ivshmem.LinkDevice;
import io.shunt.ivshmem.LinkEnds;
import io.shunt.ivshmem.ProcessDeviceDirectory;

/**
 * What the REST API does, independent of HTTP: find the VNF that owns a port among the
 * drivers, check that a region is a link region of the agent's region directory named like
 * the device, and plug or unplug through the owner's driver. Each failure becomes an
 * {@link ApiException} with the status of docs/compute-agent.md.
 *
 * <p>Plugs and unplugs are serialised (one lock): they are rare, and a check-then-write on
 * a device entry must not interleave with another one for the same VNF.
 */
public final class PortDeviceService {
    private static final Logger LOG = LoggerFactory.getLogger(PortDeviceService.class);

    private final List<ComputeDriver> drivers;
    private final Path regionDirectory;
    private final ReentrantLock mutations = new ReentrantLock();

    /**
     * @param drivers         the drivers, asked in this order
     * @param regionDirectory the only directory plugged regions may come from (vswitchd's region directory)
     */
    public PortDeviceService(List<ComputeDriver> drivers, Path regionDirectory) {
        if (drivers.isEmpty()) {
            throw new IllegalArgumentException("the agent needs at least one driver");
        }
        this.drivers = List.copyOf(drivers);
        this.regionDirectory = regionDirectory.toAbsolutePath().normalize();
        for (ComputeDriver driver : this.drivers) {
            driver.watch((device, reason) -> LOG.info("device {} left VNF {} (port {}, driver {}): {}",
                    device.device(), device.vnf(), device.port(), device.driver(), reason));
        }
    }

    public List<String> driverNames() {
        return drivers.stream().map(ComputeDriver::name).toList();
    }

    public AgentWire.Ports ports() throws ApiException {
        List<AgentWire.Port> ports = new ArrayList<>();
        for (ComputeDriver driver : drivers) {
            for (PortOwner owner : call(() -> driver.ports())) {
                ports.add(new AgentWire.Port(owner.port(), owner.vnf(), owner.driver(),
                        owner.pid() > 0 ? owner.pid() : null));
            }
        }
        return new AgentWire.Ports(ports);
    }

    public AgentWire.Devices devices() throws ApiException {
        List<AgentWire.Device> devices = new ArrayList<>();
        for (ComputeDriver driver : drivers) {
            for (PluggedDevice device : call(() -> driver.devices())) {
                devices.add(new AgentWire.Device(device.port(), device.vnf(), device.device(),
                        device.region().toString(), device.driver()));
            }
        }
        return new AgentWire.Devices(devices);
    }

    /** {@code PUT /v1/ports/{port}/devices/{device}} with body {@code {"region": region}}. */
    public AgentWire.Plugged plug(String port, String device, String region) throws ApiException {
        checkName("port", port);
        checkName("device", device);
        long received = System.nanoTime();
        mutations.lock();
        long locked = System.nanoTime();
        try (LinkRegion link = attachLinkRegion(device, region)) {
            Path file = link.region().file();
            Owned owned = owner(port);
            checkJoins(port, link);
            PlugResult result = call(() -> owned.driver().plug(owned.owner(), device, file));
            // Both times, so that a plug's own cost can be told from its wait behind another one.
            LOG.info("{} {} for port {} into VNF {} ({} driver) in {} ms, {} ms of it waiting for another request",
                    result.alreadyPlugged() ? "already plugged" : "plugged", device, port, result.owner().vnf(),
                    owned.driver().name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - received),
                    TimeUnit.NANOSECONDS.toMillis(locked - received));
            return new AgentWire.Plugged(port, result.owner().vnf(), device, owned.driver().name());
        } finally {
            mutations.unlock();
        }
    }

    /** {@code DELETE /v1/ports/{port}/devices/{device}}. */
    public AgentWire.Unplugged unplug(String port, String device) throws ApiException {
        checkName("port", port);
        checkName("device", device);
        mutations.lock();
        try {
            Owned owned = owner(port);
            call(() -> {
                owned.driver().unplug(owned.owner(), device);
                return null;
            });
            LOG.info("unplugged {} for port {} from VNF {} ({} driver)", device, port, owned.owner().vnf(),
                    owned.driver().name());
            return new AgentWire.Unplugged(port, device, true);
        } finally {
            mutations.unlock();
        }
    }

    private record Owned(ComputeDriver driver, PortOwner owner) {
    }

    private Owned owner(String port) throws ApiException {
        for (ComputeDriver driver : drivers) {
            Optional<PortOwner> owner = call(() -> driver.owner(port));
            if (owner.isPresent()) {
                return new Owned(driver, owner.get());
            }
        }
        throw new ApiException(404, "no live VNF owns port " + port + " (drivers asked: "
                + String.join(", ", driverNames()) + ")");
    }

    /**
     * The link region in {@code region}, attached (the caller closes it) once it is known to be
     * a readable link region named {@code device} in the region directory.
     */
    private LinkRegion attachLinkRegion(String device, String region) throws ApiException {
        if (region == null || region.isBlank()) {
            throw new ApiException(400, "body must be {\"region\":\"/absolute/path/of/the/link/region\"}");
        }
        Path file;
        try {
            file = Path.of(region);
        } catch (InvalidPathException e) {
            throw new ApiException(400, "region '" + region + "' is not a path: " + e.getReason());
        }
        if (!file.isAbsolute()) {
            throw new ApiException(400, "region '" + region + "' must be an absolute path");
        }
        file = file.normalize();
        if (!regionDirectory.equals(file.getParent())) {
            throw new ApiException(400, "region " + file + " is not in the agent's region directory " + regionDirectory);
        }
        LinkRegion link;
        try {
            link = LinkRegion.attach(file);
        } catch (NoSuchFileException e) {
            throw new ApiException(400, "region " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new ApiException(400, "region " + file + " cannot be opened by the agent (permission denied)");
        } catch (RegionFormatException e) {
            // Its message starts with the file already.
            throw new ApiException(400, "not a readable link region: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new ApiException(400, "region " + file + " is not a readable link region: " + e.getMessage());
        }
        try {
            LinkDevice linkDevice = LinkDevice.of(link);
            if (!linkDevice.regionName().equals(device)) {
                throw new ApiException(400, "region " + file + " is link " + linkDevice.regionName()
                        + ", not device " + device + " (the device name is the link region name)");
            }
            return link;
        } catch (ApiException e) {
            link.close();
            throw e;
        } catch (RuntimeException e) {
            link.close();
            throw new ApiException(400, "region " + file + " is not a readable link region: " + e.getMessage());
        }
    }

    /**
     * Refuses a link that does not join {@code port}: the guest shim would ignore it, and the
     * link manager would wait for an acknowledgement that never comes. The port's region is
     * where vswitchd puts it, {@code <region directory>/shunt-port-<port>}.
     */
    private void checkJoins(String port, LinkRegion linkRegion) throws ApiException {
        Path portFile = PortRegionNames.regionFile(regionDirectory, port);
        try (PortRegion portRegion = PortRegion.attach(portFile)) {
            if (!LinkEnds.joins(linkRegion, portRegion)) {
                throw new ApiException(400, "link " + linkRegion.region().name() + " (ports " + linkRegion.portA()
                        + " and " + linkRegion.portB() + ", pool '" + linkRegion.poolName() + "' generation "
                        + linkRegion.poolGeneration() + ") does not join port " + port + " (port "
                        + portRegion.portNumber() + ", pool '" + portRegion.poolName() + "' generation "
                        + portRegion.poolGeneration() + ")");
            }
        } catch (IOException | RuntimeException e) {
            throw new ApiException(400, "cannot check that link " + linkRegion.region().name() + " joins port "
                    + port + ": " + e.getMessage());
        }
    }

    private static void checkName(String what, String name) throws ApiException {
        try {
            if (what.equals("device")) {
                ProcessDeviceDirectory.checkDeviceName(name);
            } else {
                DeviceDirectoryLayout.checkName(what, name);
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
    }

    @FunctionalInterface
    private interface DriverCall<T> {
        T call() throws DriverException;
    }

    private static <T> T call(DriverCall<T> call) throws ApiException {
        try {
            return call.call();
        } catch (DriverException e) {
            throw new ApiException(e.kind().httpStatus(), e.getMessage());
        }
    }

    /** Closes the drivers. */
    public void close() {
        for (ComputeDriver driver : drivers) {
            driver.close();
        }
    }
}
