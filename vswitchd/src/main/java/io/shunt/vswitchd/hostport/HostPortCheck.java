package io.shunt.vswitchd.hostport;

import io.shunt.datapath.hostport.HostPortException;
import io.shunt.datapath.hostport.InterfaceQuery;
import io.shunt.vswitchd.config.ConfigDatabase;
import io.shunt.vswitchd.config.ConfigError;
import io.shunt.vswitchd.config.PortConfig;

/**
 * Checks a host port before it enters the configuration, so that {@code add-port} answers
 * with a clear error instead of storing a port the datapath cannot open: an afpacket port
 * needs an existing interface in vswitchd's network namespace, an internal port a free
 * interface name (it creates a TAP of that name), a patch port a peer.
 */
public final class HostPortCheck implements ConfigDatabase.PortCheck {

    @Override
    public void check(String bridge, PortConfig port) throws ConfigError {
        switch (port.type()) {
            case AFPACKET -> {
                String ifname = HostPortOptions.interfaceName(port);
                try (InterfaceQuery q = new InterfaceQuery()) {
                    if (q.query(ifname) == null) {
                        throw new ConfigError(ConfigError.Kind.INVALID_ARGUMENT, "port " + port.name() + ": no network"
                                + " interface named " + ifname + " (afpacket attaches an existing interface; see"
                                + " ip link show)");
                    }
                } catch (HostPortException e) {
                    throw new ConfigError(ConfigError.Kind.INVALID_ARGUMENT, "port " + port.name() + ": "
                            + e.getMessage());
                }
            }
            case INTERNAL -> {
                try (InterfaceQuery q = new InterfaceQuery()) {
                    InterfaceQuery.checkName(port.name());
                    if (q.query(port.name()) != null) {
                        throw new ConfigError(ConfigError.Kind.INVALID_ARGUMENT, "port " + port.name() + ": an"
                                + " interface named " + port.name() + " already exists (an internal port creates"
                                + " its own TAP device)");
                    }
                } catch (HostPortException e) {
                    throw new ConfigError(ConfigError.Kind.INVALID_ARGUMENT, "port " + port.name() + ": "
                            + e.getMessage());
                }
            }
            case PATCH -> {
                String peer = port.options().get(HostPortOptions.PEER);
                if (peer == null || peer.isEmpty() || peer.equals(port.name())) {
                    throw new ConfigError(ConfigError.Kind.INVALID_ARGUMENT, "patch port " + port.name()
                            + " needs options peer=<the other end's port name> (not itself)");
                }
            }
            default -> { }
        }
    }
}
