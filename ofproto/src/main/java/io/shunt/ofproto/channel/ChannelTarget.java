package io.shunt.ofproto.channel;

import java.nio.file.Path;

/**
 * An OpenFlow connection method in Open vSwitch's syntax (ovs-vsctl
 * set-controller / ovs-ofctl):
 * <ul>
 *   <li>{@code tcp:HOST:PORT} — connect actively to a controller ({@code [v6addr]:PORT} for IPv6);</li>
 *   <li>{@code ptcp:PORT[:IP]} — listen for controllers and tools; port 0 picks an ephemeral port;
 *       IP defaults to all addresses;</li>
 *   <li>{@code punix:PATH} — listen on a unix domain socket (tools connect with {@code unix:PATH}).</li>
 * </ul>
 */
public sealed interface ChannelTarget {

    /** The target as the user wrote it, normalised. */
    String text();

    boolean passive();

    record ActiveTcp(String host, int port) implements ChannelTarget {
        public String text() {
            return "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        public boolean passive() {
            return false;
        }
    }

    record PassiveTcp(int port, String bindAddress) implements ChannelTarget {
        public String text() {
            String ip = bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
            return "ptcp:" + port + (bindAddress.equals("0.0.0.0") ? "" : ":" + ip);
        }

        public boolean passive() {
            return true;
        }
    }

    record PassiveUnix(Path path) implements ChannelTarget {
        public String text() {
            return "punix:" + path;
        }

        public boolean passive() {
            return true;
        }
    }

    /** Parses a target; IllegalArgumentException names what is wrong. */
    static ChannelTarget parse(String target) {
        int colon = target.indexOf(':');
        if (colon < 0) {
            throw invalid(target, "missing method prefix");
        }
        String method = target.substring(0, colon);
        String rest = target.substring(colon + 1);
        return switch (method) {
            case "tcp" -> {
                int portColon = rest.lastIndexOf(':');
                if (portColon <= 0) {
                    throw invalid(target, "expected tcp:HOST:PORT");
                }
                String host = rest.substring(0, portColon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                yield new ActiveTcp(host, port(target, rest.substring(portColon + 1), false));
            }
            case "ptcp" -> {
                String portText = rest;
                String ip = "0.0.0.0";
                int ipColon = rest.indexOf(':');
                if (ipColon >= 0) {
                    portText = rest.substring(0, ipColon);
                    ip = rest.substring(ipColon + 1);
                    if (ip.startsWith("[") && ip.endsWith("]")) {
                        ip = ip.substring(1, ip.length() - 1);
                    }
                }
                yield new PassiveTcp(port(target, portText, true), ip);
            }
            case "punix" -> {
                if (rest.isEmpty()) {
                    throw invalid(target, "expected punix:PATH");
                }
                yield new PassiveUnix(Path.of(rest));
            }
            default -> throw invalid(target, "unknown method '" + method + "' (expected tcp:, ptcp: or punix:)");
        };
    }

    private static int port(String target, String text, boolean zeroAllowed) {
        try {
            int port = Integer.parseInt(text);
            if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
                throw invalid(target, "port " + port + " out of range");
            }
            return port;
        } catch (NumberFormatException e) {
            throw invalid(target, "port '" + text + "' is not a number");
        }
    }

    private static IllegalArgumentException invalid(String target, String why) {
        return new IllegalArgumentException("invalid OpenFlow target '" + target + "': " + why);
    }
}
