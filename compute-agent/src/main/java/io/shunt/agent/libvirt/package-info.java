/**
 * The compute agent's libvirt driver (DESIGN.md section 5, issue 9): VNFs are QEMU/KVM domains
 * whose {@code dpdkr} port regions were given to them as ivshmem-plain {@code <shmem>} devices;
 * a direct link is hot-plugged into such a domain with {@code attachDeviceFlags} and removed
 * with {@code detachDeviceFlags}, through libvirt-java (org.libvirt:libvirt 0.5.2 over JNA).
 * {@link io.shunt.agent.libvirt.LibvirtDriver} is the driver, {@link
 * io.shunt.agent.libvirt.DomainShmems} reads a domain's {@code <shmem>} devices from its XML,
 * {@link io.shunt.agent.libvirt.LibvirtFailure} turns libvirt errors into the agent's,
 * and {@link io.shunt.agent.libvirt.DeviceRemovedEvents} subscribes to libvirt's
 * device-removed event, which libvirt-java 0.5.2 does not wrap.
 */
package io.shunt.agent.libvirt;
