package io.shunt.agent.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.libvirt.Domain;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shunt.agent.driver.ComputeDriver;
import io.shunt.agent.driver.DriverException;
import io.shunt.agent.driver.PlugResult;
import io.shunt.agent.driver.PluggedDevice;
import io.shunt.agent.driver.PortOwner;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.port.PortRegionNames;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.ivshmem.LinkDevice;
import io.shunt.ivshmem.LinkEnds;
import io.shunt.ivshmem.LinkName;

/**
 * VNFs that are libvirt domains (DESIGN.md section 5, contract-links §3).
 * <ul>
 *   <li>Owner of port {@code P}: the running domain whose live XML holds
 *       {@code <shmem name='shunt-port-P'>} (given at definition time,
 *       test-vms/image/start-vm.sh shows how).</li>
 *   <li>Plug: {@code attachDeviceFlags(<shmem name='shunt-link-...'>, VIR_DOMAIN_AFFECT_LIVE)};
 *       the guest sees PCI device 1af4:1110 appear (ACPI hot-plug) and identifies it by its
 *       region header. Returns when libvirt returned (10–60 ms here, FACTS.md).</li>
 *   <li>Unplug: {@code detachDeviceFlags} with the domain's own element for the device;
 *       completion (the guest released it) arrives as libvirt's device-removed event and is
 *       reported to the {@link DeviceListener}, as is every link of a domain that stops.</li>
 * </ul>
 * Nothing about domains is cached between requests: each call reads the live XML again.
 * The connection is opened on first use and re-opened after libvirtd went away, so the agent
 * starts and answers (503) while libvirtd is down.
 */
public final class LibvirtDriver implements ComputeDriver {
    public static final String NAME = "libvirt";
    /** VIR_DOMAIN_AFFECT_LIVE: change the running domain only, not its persistent definition. */
    static final int AFFECT_LIVE = 1;
    /** Debian's qemu.conf default user. */
    public static final String DEFAULT_QEMU_USER = "libvirt-qemu";
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtDriver.class);

    private final String uri;
    private final String qemuUser;
    private final Path shmDirectory;
    private DeviceRemovedEvents.EventConnect connect;
    private DeviceRemovedEvents removedEvents;
    private LifecycleListener lifecycle;
    private DeviceListener listener;
    /** Link devices seen per domain, by libvirt alias: what a later event refers to. */
    private final Map<String, Map<String, PluggedDevice>> linksByDomain = new HashMap<>();

    /**
     * @param uri      libvirt connection URI, e.g. {@code qemu:///system}
     * @param qemuUser the user QEMU runs as (qemu.conf {@code user}), who must be able to open
     *                 a region file before it is plugged
     */
    public LibvirtDriver(String uri, String qemuUser) {
        this(uri, qemuUser, RegionOptions.DEV_SHM);
    }

    LibvirtDriver(String uri, String qemuUser, Path shmDirectory) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.qemuUser = Objects.requireNonNull(qemuUser, "qemuUser");
        this.shmDirectory = shmDirectory;
    }

    @Override
    public String name() {
        return NAME;
    }

    public String uri() {
        return uri;
    }

    // ---- connection ----

    private synchronized DeviceRemovedEvents.EventConnect connection() throws DriverException {
        if (connect != null) {
            try {
                if (connect.isAlive()) {
                    return connect;
                }
            } catch (LibvirtException e) {
                // Fall through: reconnect.
            }
            LOG.warn("libvirt connection to {} lost; reconnecting", uri);
            dropConnection();
        }
        try {
            LibvirtEventLoop.ensureRunning();
            DeviceRemovedEvents.EventConnect opened = new DeviceRemovedEvents.EventConnect(uri);
            connect = opened;
            if (listener != null) {
                subscribe(opened);
            }
            return opened;
        } catch (LibvirtException e) {
            dropConnection();
            throw new DriverException(DriverException.Kind.UNAVAILABLE, "libvirtd at " + uri + " cannot be reached: "
                    + message(e) + " (is libvirtd running?)", e);
        }
    }

    private void subscribe(DeviceRemovedEvents.EventConnect opened) throws LibvirtException {
        removedEvents = DeviceRemovedEvents.register(opened, this::onDeviceRemoved);
        lifecycle = (domain, event) -> {
            if (event.getType() == DomainEventType.STOPPED || event.getType() == DomainEventType.CRASHED) {
                onDomainStopped(domainName(domain), event.getType());
            }
            return 0;
        };
        opened.addLifecycleListener(lifecycle);
    }

    private void dropConnection() {
        if (connect == null) {
            return;
        }
        try {
            if (removedEvents != null) {
                removedEvents.deregister();
            }
            if (lifecycle != null) {
                connect.removeLifecycleListener(lifecycle);
            }
            connect.close();
        } catch (LibvirtException | RuntimeException e) {
            LOG.debug("closing the libvirt connection to {}: {}", uri, e.toString());
        }
        connect = null;
        removedEvents = null;
        lifecycle = null;
    }

    // ---- look-ups ----

    /** The running domains with their shmem devices (a domain that vanishes meanwhile is skipped). */
    private List<DomainShmems> runningDomains() throws DriverException {
        DeviceRemovedEvents.EventConnect connection = connection();
        int[] ids;
        try {
            ids = connection.listDomains();
        } catch (LibvirtException e) {
            throw LibvirtFailure.of("listing the domains of " + uri, e);
        }
        List<DomainShmems> domains = new ArrayList<>(ids.length);
        for (int id : ids) {
            try {
                Domain domain = connection.domainLookupByID(id);
                domains.add(DomainShmems.parse(domain.getName(), domain.getXMLDesc(0)));
            } catch (LibvirtException e) {
                DriverException failure = LibvirtFailure.of("reading domain " + id, e);
                if (failure.kind() != DriverException.Kind.NOT_FOUND) {
                    throw failure;
                }
            } catch (IOException e) {
                throw new DriverException(DriverException.Kind.FAILED, e.getMessage(), e);
            }
        }
        return domains;
    }

    private Domain domain(PortOwner owner, String what) throws DriverException {
        try {
            Domain domain = connection().domainLookupByName(owner.vnf());
            if (domain.isActive() != 1) {
                throw new DriverException(DriverException.Kind.NOT_FOUND, "port " + owner.port() + ": domain "
                        + owner.vnf() + " is not running (" + what + ")");
            }
            return domain;
        } catch (LibvirtException e) {
            throw LibvirtFailure.of("port " + owner.port() + ": looking up domain " + owner.vnf() + " (" + what + ")", e);
        }
    }

    private static DomainShmems shmems(Domain domain, PortOwner owner) throws DriverException {
        try {
            return DomainShmems.parse(owner.vnf(), domain.getXMLDesc(0));
        } catch (LibvirtException e) {
            throw LibvirtFailure.of("port " + owner.port() + ": reading the XML of domain " + owner.vnf(), e);
        } catch (IOException e) {
            throw new DriverException(DriverException.Kind.FAILED, e.getMessage(), e);
        }
    }

    @Override
    public List<PortOwner> ports() throws DriverException {
        List<PortOwner> owners = new ArrayList<>();
        for (DomainShmems domain : runningDomains()) {
            for (DomainShmems.Shmem shmem : domain.shmems()) {
                String port = PortRegionNames.portName(shmem.name());
                if (port != null) {
                    owners.add(new PortOwner(port, domain.domain(), NAME, 0));
                }
            }
        }
        return owners;
    }

    @Override
    public Optional<PortOwner> owner(String port) throws DriverException {
        String regionName;
        try {
            regionName = PortRegionNames.regionName(port);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (DomainShmems domain : runningDomains()) {
            if (domain.find(regionName).isPresent()) {
                return Optional.of(new PortOwner(port, domain.domain(), NAME, 0));
            }
        }
        return Optional.empty();
    }

    // ---- plug / unplug ----

    @Override
    public PlugResult plug(PortOwner owner, String device, Path region) throws DriverException {
        LinkDevice link = linkDevice(owner, device, region);
        checkQemuCanOpen(owner, region);
        Domain domain = domain(owner, "plugging " + device);
        Optional<DomainShmems.Shmem> present = shmems(domain, owner).find(device);
        if (present.isPresent()) {
            if (present.get().bytes() != link.deviceBytes()) {
                throw new DriverException(DriverException.Kind.CONFLICT, "port " + owner.port() + ": domain "
                        + owner.vnf() + " already has a device " + device + " of " + present.get().bytes()
                        + " bytes, not the " + link.deviceBytes() + " this region needs");
            }
            return new PlugResult(owner, device, region, true);
        }
        long attachStarted = System.nanoTime();
        try {
            domain.attachDeviceFlags(link.shmemXml(), AFFECT_LIVE);
        } catch (LibvirtException e) {
            throw LibvirtFailure.of("port " + owner.port() + ": hot-plugging " + device + " into domain " + owner.vnf(), e);
        }
        // The time libvirtd and QEMU took, apart from the agent's own look-ups (bench/vm-establish reads it).
        long attachMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attachStarted);
        remember(owner.vnf(), shmems(domain, owner), device, owner.port(), region);
        LOG.info("hot-plugged {} ({} MiB ivshmem-plain) into domain {} for port {} (attachDeviceFlags {} ms)", device,
                link.deviceMiB(), owner.vnf(), owner.port(), attachMillis);
        return new PlugResult(owner, device, region, false);
    }

    /** The link device of {@code region}, which must be {@code /dev/shm/<device>}, the only file libvirt can back it with. */
    private LinkDevice linkDevice(PortOwner owner, String device, Path region) throws DriverException {
        Path expected = shmDirectory.resolve(device);
        if (!region.toAbsolutePath().normalize().equals(expected)) {
            throw new DriverException(DriverException.Kind.FAILED, "port " + owner.port() + ": libvirt backs <shmem name='"
                    + device + "'> with " + expected + " only, but the region is " + region
                    + " (run vswitchd with --region-dir " + shmDirectory + " for VMs)");
        }
        LinkDevice link;
        try (LinkRegion attached = LinkRegion.attach(region)) {
            link = LinkDevice.of(attached);
        } catch (IOException | IllegalArgumentException e) {
            throw new DriverException(DriverException.Kind.FAILED, "port " + owner.port() + ": " + region
                    + " is not a usable link region: " + e.getMessage(), e);
        }
        try {
            if (!link.backingFileLongEnough()) {
                throw new DriverException(DriverException.Kind.FAILED, "port " + owner.port() + ": " + region + " is "
                        + Files.size(region) + " bytes, QEMU needs the whole " + link.deviceMiB() + " MiB device");
            }
        } catch (IOException e) {
            throw new DriverException(DriverException.Kind.FAILED, "port " + owner.port() + ": cannot stat " + region
                    + ": " + e, e);
        }
        return link;
    }

    /**
     * QEMU opens the backing file as {@link #qemuUser}: checking first turns libvirt's late
     * "Permission denied" into a message that says what to change.
     */
    private void checkQemuCanOpen(PortOwner owner, Path region) throws DriverException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(region, PosixFileAttributes.class);
        } catch (IOException e) {
            throw new DriverException(DriverException.Kind.FAILED, "port " + owner.port() + ": cannot stat " + region
                    + ": " + e, e);
        }
        Set<PosixFilePermission> mode = attributes.permissions();
        boolean asOwner = attributes.owner().getName().equals(qemuUser)
                && mode.contains(PosixFilePermission.OWNER_READ) && mode.contains(PosixFilePermission.OWNER_WRITE);
        // The group check assumes the QEMU user's primary group carries its name (Debian: libvirt-qemu).
        boolean asGroup = attributes.group().getName().equals(qemuUser)
                && mode.contains(PosixFilePermission.GROUP_READ) && mode.contains(PosixFilePermission.GROUP_WRITE);
        boolean asOther = mode.contains(PosixFilePermission.OTHERS_READ) && mode.contains(PosixFilePermission.OTHERS_WRITE);
        if (!asOwner && !asGroup && !asOther) {
            throw new DriverException(DriverException.Kind.FAILED, "port " + owner.port() + ": QEMU runs as " + qemuUser
                    + " and cannot open " + region + " (owner " + attributes.owner().getName() + ", group "
                    + attributes.group().getName() + ", mode " + java.nio.file.attribute.PosixFilePermissions.toString(mode)
                    + "); give the region group " + qemuUser + " and mode rw-rw----");
        }
    }

    @Override
    public void unplug(PortOwner owner, String device) throws DriverException {
        Domain domain = domain(owner, "unplugging " + device);
        DomainShmems.Shmem shmem = shmems(domain, owner).find(device).orElseThrow(() -> new DriverException(
                DriverException.Kind.NOT_FOUND, "device " + device + " is not plugged into domain " + owner.vnf()
                + " (port " + owner.port() + ")"));
        long detachStarted = System.nanoTime();
        try {
            domain.detachDeviceFlags(shmem.deviceXml(), AFFECT_LIVE);
        } catch (LibvirtException e) {
            throw LibvirtFailure.of("port " + owner.port() + ": unplugging " + device + " from domain " + owner.vnf(), e);
        }
        LOG.info("unplug of {} from domain {} (port {}) requested (detachDeviceFlags {} ms)", device, owner.vnf(),
                owner.port(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - detachStarted));
    }

    @Override
    public List<PluggedDevice> devices() throws DriverException {
        List<PluggedDevice> plugged = new ArrayList<>();
        for (DomainShmems domain : runningDomains()) {
            Map<String, Path> portRegions = new HashMap<>();
            for (DomainShmems.Shmem shmem : domain.shmems()) {
                String port = PortRegionNames.portName(shmem.name());
                if (port != null) {
                    portRegions.put(port, shmDirectory.resolve(shmem.name()));
                }
            }
            for (DomainShmems.Shmem shmem : domain.shmems()) {
                if (LinkName.parse(shmem.name()).isEmpty()) {
                    continue;
                }
                Path region = shmDirectory.resolve(shmem.name());
                List<String> ports = LinkEnds.portsJoined(region, portRegions);
                if (ports.isEmpty()) {
                    plugged.add(new PluggedDevice(null, domain.domain(), shmem.name(), region, NAME));
                }
                for (String port : ports) {
                    plugged.add(new PluggedDevice(port, domain.domain(), shmem.name(), region, NAME));
                }
            }
        }
        return plugged;
    }

    // ---- events ----

    @Override
    public synchronized void watch(DeviceListener listener) {
        if (this.listener != null) {
            throw new IllegalStateException("libvirt driver: watch() called twice");
        }
        this.listener = listener;
        try {
            DeviceRemovedEvents.EventConnect opened = connection();
            if (removedEvents == null) {
                subscribe(opened);
            }
            for (DomainShmems domain : runningDomains()) {
                for (DomainShmems.Shmem shmem : domain.shmems()) {
                    if (LinkName.parse(shmem.name()).isPresent()) {
                        remember(domain.domain(), domain, shmem.name(), null, shmDirectory.resolve(shmem.name()));
                    }
                }
            }
        } catch (DriverException | LibvirtException e) {
            LOG.warn("libvirt driver: not watching {} yet ({}); events start with the first successful request", uri,
                    e.getMessage());
        }
    }

    private synchronized void remember(String domain, DomainShmems shmems, String device, String port, Path region) {
        shmems.find(device).ifPresent(shmem -> {
            if (shmem.alias() != null) {
                linksByDomain.computeIfAbsent(domain, d -> new HashMap<>())
                        .put(shmem.alias(), new PluggedDevice(port, domain, device, region, NAME));
            }
        });
    }

    private void onDeviceRemoved(String domain, String alias) {
        PluggedDevice gone;
        DeviceListener target;
        synchronized (this) {
            Map<String, PluggedDevice> links = linksByDomain.get(domain);
            gone = links == null ? null : links.remove(alias);
            target = listener;
        }
        if (gone != null && target != null) {
            LOG.info("domain {} released {} (device alias {})", domain, gone.device(), alias);
            target.deviceRemoved(gone, "domain " + domain + " released the device (libvirt device-removed event)");
        }
    }

    private void onDomainStopped(String domain, DomainEventType type) {
        Map<String, PluggedDevice> links;
        DeviceListener target;
        synchronized (this) {
            links = linksByDomain.remove(domain);
            target = listener;
        }
        if (links != null && target != null) {
            for (PluggedDevice device : links.values()) {
                target.deviceRemoved(device, "domain " + domain + " " + type.name().toLowerCase());
            }
        }
    }

    private static String domainName(Domain domain) {
        try {
            return domain.getName();
        } catch (LibvirtException e) {
            return "?";
        }
    }

    private static String message(LibvirtException e) {
        Error error = e.getError();
        return error != null && error.getMessage() != null ? error.getMessage() : String.valueOf(e.getMessage());
    }

    @Override
    public synchronized void close() {
        dropConnection();
        listener = null;
    }
}
