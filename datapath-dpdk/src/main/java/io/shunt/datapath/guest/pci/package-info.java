/**
 * The guest shim inside a QEMU/KVM virtual machine (DESIGN.md section 5): there, every region
 * a VNF uses (its pool, its ports, hot-plugged direct links) is an ivshmem-plain PCI device,
 * 1af4:1110, whose BAR2 is the region file shared with the host. {@link
 * io.shunt.datapath.guest.pci.IvshmemPciBus} finds those devices in sysfs, {@link
 * io.shunt.datapath.guest.pci.RegionIdentity} tells them apart by their region header (the only
 * name an ivshmem device has), {@link io.shunt.datapath.guest.pci.UeventSocket} hears the
 * kernel announce hot-plug and hot-unplug (netlink, through FFM: no polling), and {@link
 * io.shunt.datapath.guest.pci.PciDeviceMirror} presents the bus to the rest of the shim in
 * the layout a VNF process sees on the host: a region directory (pool and port regions by
 * name) and a device directory (plugged links), each entry a symlink to a device's BAR2.
 */
package io.shunt.datapath.guest.pci;
