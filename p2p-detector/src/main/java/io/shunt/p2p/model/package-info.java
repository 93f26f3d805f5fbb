/**
 * The detector's read-only model of an OpenFlow bridge: flow entries reduced to what decides a
 * direct path ({@link io.shunt.p2p.model.FlowEntry}, {@link io.shunt.p2p.model.MatchSummary},
 * {@link io.shunt.p2p.model.Instructions}, {@link io.shunt.p2p.model.Action}) and ports
 * ({@link io.shunt.p2p.model.PortView}).
 *
 * <p>The OpenFlow agent adapts its own entries (Loxi {@code OFFlowMod}, {@code Match},
 * {@code OFInstruction}) to these records once per flow-table change; nothing here knows
 * Loxi, Netty or the datapath. Every record validates its fields on construction and names
 * the offending value, so a bad adapter fails at the seam, not deep inside the detector.
 */
package io.shunt.p2p.model;
