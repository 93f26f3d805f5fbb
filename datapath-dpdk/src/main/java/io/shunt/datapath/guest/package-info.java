/**
 * The guest shim: the library a VNF links to use its {@code dpdkr} ports, as a DPDK
 * application links its PMD. {@link io.shunt.datapath.guest.GuestPort} attaches to a port by
 * name and offers burst receive/transmit and buffer allocation; the rings, the pool and
 * the direct links (registration in the process device directory, the device watcher, the
 * protocol ends {@code TxLink} and {@code RxLink}) stay behind it. docs/guest-shim.md
 * describes the API, the threading model, direct links and what happens across switch restarts.
 */
package io.shunt.datapath.guest;
