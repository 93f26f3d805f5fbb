/**
 * Devices made of regions (DESIGN.md sections 2 and 5): the lifecycle of link regions
 * ({@link io.shunt.ivshmem.LinkRegions}: name, generation, size, listing for re-adoption,
 * free), their device descriptors for QEMU/libvirt ({@link io.shunt.ivshmem.LinkDevice}),
 * and the writer side of the process device directory
 * ({@link io.shunt.ivshmem.ProcessDeviceDirectory}), the "PCI bus" of VNFs that run as
 * processes. Depends on datapath-dpdk's region layouts only.
 */
package io.shunt.ivshmem;
