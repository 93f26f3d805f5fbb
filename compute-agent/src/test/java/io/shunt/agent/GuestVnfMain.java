package io.shunt.agent;

import java.nio.file.Path;

import io.shunt.datapath.guest.GuestPort;

/**
 * A VNF process for {@link GuestShimPlugTest}: attaches the real guest shim to one port
 * (which registers it in the process device directory and watches its {@code devices/}),
 * prints {@code attached}, then polls its rx ring, as a VNF does, until killed.
 */
public final class GuestVnfMain {
    private GuestVnfMain() {
    }

    public static void main(String[] args) throws Exception {
        GuestPort port = GuestPort.attach(Path.of(args[0]), args[1]);
        System.out.println("attached");
        System.out.flush();
        int[] bufs = new int[32];
        while (true) {
            int n = port.rxBurst(bufs, bufs.length);
            if (n > 0) {
                port.freeBurst(bufs, n);
            }
            Thread.sleep(1);
        }
    }
}
