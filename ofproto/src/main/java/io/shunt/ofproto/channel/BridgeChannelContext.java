package io.shunt.ofproto.channel;

/**
 * What every connection of one bridge shares: settings, the switch's
 * handler, the switch-wide role and fragment state, and the registry of open
 * connections. Confined to the bridge's control thread.
 */
record BridgeChannelContext(String bridge, ChannelSettings settings, MessageHandler handler, ControllerRoles roles,
                            FragmentHandling fragments, OfChannelInitializer.Registry registry) {}
