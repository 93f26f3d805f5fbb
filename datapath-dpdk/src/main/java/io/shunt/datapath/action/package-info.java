/**
 * Packet edits on a {@link io.shunt.datapath.action.Frame} in a buffer with headroom:
 * Ethernet, VLAN and MPLS push/pop/set, IPv4/IPv6/ARP fields, transport ports, each
 * keeping the checksums right and returning an {@link io.shunt.datapath.action.EditStatus}
 * instead of throwing. Never writes outside the buffer.
 */
package io.shunt.datapath.action;
