package io.shunt.datapath.hostport;

/**
 * What the kernel says of a network interface at one moment (ioctl SIOCGIFINDEX,
 * SIOCGIFFLAGS, SIOCGIFMTU, SIOCGIFHWADDR in the caller's network namespace).
 *
 * @param name    interface name
 * @param ifindex kernel index; a deleted and re-created interface gets a new one
 * @param up      IFF_UP: administratively up
 * @param running IFF_RUNNING: operationally up (carrier present)
 * @param mtu     MTU in bytes (payload after the Ethernet header)
 * @param mac     hardware address, 48 bits
 */
public record InterfaceState(String name, int ifindex, boolean up, boolean running, int mtu, long mac) {

    /** Up and running: what OpenFlow reports as a live link (no OFPPS_LINK_DOWN). */
    public boolean linkUp() {
        return up && running;
    }
}
