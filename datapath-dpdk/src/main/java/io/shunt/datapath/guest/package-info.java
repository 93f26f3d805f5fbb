/**
 * The guest shim: the library a VNF links to use its {@code dpdkr} ports, as a DPDK
 * application links its PMD. {@link io.shunt.datapath.guest.GuestPort} attaches to a port by
 * name and offers burst receive/transmit and buffer allocation; the rings, the pool and
 * (later) the direct-link remapping stay behind it. docs/guest-shim.md describes the API,
 * the threading model and what happens across switch restarts.
 */
package io.shunt.datapath.guest;
