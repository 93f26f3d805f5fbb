package io.shunt.ofproto;

/**
 * What the switch does while no controller is connected (OF1.3 section
 * 6.3.6, OVS's fail_mode): {@code SECURE} keeps the flow tables as they are
 * and sends nothing to controllers; {@code STANDALONE} additionally lets the
 * datapath forward misses like a MAC-learning switch (OFPP_NORMAL). The
 * switch reports the mode and whether a controller is connected
 * ({@link OpenFlowSwitch#standaloneActive()}); the datapath acts on it.
 */
public enum FailMode { SECURE, STANDALONE }
