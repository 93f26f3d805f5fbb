/**
 * Packets to flow keys: {@link io.shunt.datapath.flow.PacketParser} parses a frame once
 * into a {@link io.shunt.datapath.flow.FlowKey} (15 words, layout in
 * {@link io.shunt.datapath.flow.FlowKeyLayout}); a {@link io.shunt.datapath.flow.FlowMask}
 * of the same shape selects the bits a megaflow matches; {@link io.shunt.datapath.flow.FlowText}
 * reads and writes both in OVS's flow syntax. Knows packets, not OpenFlow.
 */
package io.shunt.datapath.flow;
